package dev.ferry.edge.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The {@code Allow} header of a resource, from the {@code "verbs"} of its {@code #schema}
 * ({@code {"verbs":["GET","PUT"],...}} gives {@code GET, HEAD, PUT, OPTIONS}): HEAD goes with
 * GET, OPTIONS is always answered by the facade. Pure; never throws.
 */
final class AllowHeader {
    /** Every method the facade maps, for when a resource's verbs are not known. */
    static final String ALL = "GET, HEAD, PUT, POST, PATCH, DELETE, OPTIONS";

    private static final JsonFactory JSON = new JsonFactory();

    private AllowHeader() { }

    /** The header for a {@code #schema} body, or null when it lists no verbs. */
    static String fromSchema(byte[] schema) {
        Set<String> verbs = new LinkedHashSet<>();
        try (JsonParser p = JSON.createParser(schema)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals("verbs") && t == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.VALUE_STRING) {
                        String v = p.getText();
                        if (HttpMapping.verb(v) != null) {
                            verbs.add(v);
                            if (v.equals("GET")) {
                                verbs.add("HEAD");
                            }
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            return null;
        }
        if (verbs.isEmpty()) {
            return null;
        }
        verbs.add("OPTIONS");
        return String.join(", ", verbs);
    }
}

package dev.ferry.edge.northbound;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ferry.edge.runtime.Json;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a resource's {@code #schema} says that northbound uses: the verbs it accepts (a command is
 * a PUT where PUT is accepted, else a POST) and engineering units, either one {@code "unit"} for
 * the resource or {@code "units"} per field ({@code {"units":{"c":"Cel"}}}). A resource without a
 * schema, or with one that is not JSON, is {@link #UNKNOWN}: commands are PUT, no units.
 *
 * @param verbs the verbs named, upper case; empty when unknown
 * @param unit  the unit of the whole value, or null
 * @param units units per field name (the last level of a flattened metric name)
 */
public record ResourceSchema(Set<String> verbs, String unit, Map<String, String> units) {
    /** Nothing known. */
    public static final ResourceSchema UNKNOWN = new ResourceSchema(Set.of(), null, Map.of());

    /** Parses a {@code #schema} body; {@link #UNKNOWN} when it is not a JSON object. */
    public static ResourceSchema parse(byte[] body) {
        Set<String> verbs = new HashSet<>();
        Map<String, String> units = new HashMap<>();
        String unit = null;
        try (JsonParser p = Json.factory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return UNKNOWN;
            }
            for (JsonToken f = p.nextToken(); f == JsonToken.FIELD_NAME; f = p.nextToken()) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equals("verbs") && v == JsonToken.START_ARRAY) {
                    for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                        if (e == JsonToken.VALUE_STRING && verbs.size() < 16) {
                            verbs.add(p.getText().toUpperCase(java.util.Locale.ROOT));
                        } else {
                            p.skipChildren();
                        }
                    }
                } else if (name.equals("unit") && v == JsonToken.VALUE_STRING) {
                    unit = clip(p.getText());
                } else if (name.equals("units") && v == JsonToken.START_OBJECT) {
                    for (JsonToken e = p.nextToken(); e == JsonToken.FIELD_NAME; e = p.nextToken()) {
                        String field = p.currentName();
                        if (p.nextToken() == JsonToken.VALUE_STRING && units.size() < 64) {
                            units.put(field, clip(p.getText()));
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            return UNKNOWN;
        }
        return new ResourceSchema(Set.copyOf(verbs), unit, Map.copyOf(units));
    }

    private static String clip(String s) {
        return s.length() > 32 ? s.substring(0, 32) : s;
    }

    /** The unit of a flattened metric: its field's unit, else the resource's; null if none. */
    public String unitOf(String metricName) {
        int slash = metricName.lastIndexOf('/');
        String field = slash < 0 ? metricName : metricName.substring(slash + 1);
        String u = units.get(field);
        return u != null ? u : unit;
    }

    /** The verb a command on this resource uses: PUT unless the schema accepts only POST. */
    public String commandVerb() {
        return !verbs.contains("PUT") && verbs.contains("POST") ? "POST" : "PUT";
    }
}

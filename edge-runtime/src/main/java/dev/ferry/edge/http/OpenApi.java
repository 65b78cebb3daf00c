package dev.ferry.edge.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ferry.edge.runtime.DeviceCatalog;
import dev.ferry.edge.runtime.RuntimeResource;
import dev.ferry.rp.BodyType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An OpenAPI 3.0 description of the gateway as the LAN facade serves it, built from what the
 * attached devices say in their {@code #schema} ({@link DeviceCatalog}) and from the runtime's own
 * resources, so Swagger UI or a generated client reaches MCU resources. Per resource and verb one
 * operation: HEAD goes with GET; a schema's {@code "in"} (the GET's parameter, e.g. {@code KiB})
 * becomes a query parameter of that name in lower case (docs/http-api.md, "The query string");
 * {@code "observe"} adds {@code text/event-stream} and {@code application/x-ndjson} responses;
 * {@code "types"} give the media types. {@code #} in a path is written {@code %23}, as a client
 * must send it. Pure: writes what it is given.
 */
public final class OpenApi {
    private static final JsonFactory JSON = new JsonFactory();
    private static final List<String> VERBS = List.of("GET", "PUT", "POST", "PATCH", "DELETE");

    /** A resource's schema, as far as the description needs it. */
    record Schema(Set<String> verbs, List<String> types, boolean observable, String in) {
        static final Schema GET_JSON = new Schema(Set.of("GET"), List.of("j"), false, null);
    }

    private OpenApi() { }

    /**
     * Writes the document.
     *
     * @param node    this gateway's node id (the title)
     * @param version Ferry's version
     */
    public static void write(JsonGenerator g, String node, String version, List<DeviceCatalog.Device> devices,
                             List<RuntimeResource> runtime) throws IOException {
        g.writeStartObject();
        g.writeStringField("openapi", "3.0.3");
        g.writeObjectFieldStart("info");
        g.writeStringField("title", "Ferry gateway " + node);
        g.writeStringField("version", version);
        g.writeStringField("description", "RP resources of the devices attached to this gateway and of the gateway"
                + " itself, over HTTP (docs/http-api.md). Built from each device's #schema; it changes as devices"
                + " attach and detach.");
        g.writeEndObject();
        g.writeArrayFieldStart("servers");
        g.writeStartObject();
        g.writeStringField("url", "/");
        g.writeEndObject();
        g.writeEndArray();
        g.writeArrayFieldStart("tags");
        for (DeviceCatalog.Device d : devices) {
            g.writeStartObject();
            g.writeStringField("name", d.name());
            g.writeStringField("description", (d.board() + " " + d.fw()).trim() + " at " + d.mount()
                    + (d.complete() ? "" : " (still being read)"));
            g.writeEndObject();
        }
        g.writeStartObject();
        g.writeStringField("name", "runtime");
        g.writeStringField("description", "the gateway's own resources");
        g.writeEndObject();
        g.writeEndArray();
        g.writeObjectFieldStart("paths");
        Set<String> ids = new java.util.HashSet<>();
        for (DeviceCatalog.Device d : devices) {
            String base = d.mount().toString().equals("/") ? "" : d.mount().toString();
            for (DeviceCatalog.Resource r : d.resources()) {
                Schema s = r.schema() == null ? null : parse(r.schema());
                if (s != null) {
                    path(g, ids, base + r.path(), d.name(), r.path(), s);
                }
            }
        }
        for (RuntimeResource r : runtime) {
            Schema s = parse(r.schema());
            path(g, ids, "/#runtime/" + r.name(), "runtime", r.name(), s != null ? s : Schema.GET_JSON);
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void path(JsonGenerator g, Set<String> ids, String rpPath, String tag, String shortName, Schema s)
            throws IOException {
        g.writeObjectFieldStart(rpPath.replace("#", "%23"));
        for (String verb : VERBS) {
            if (!s.verbs().contains(verb)) {
                continue;
            }
            operation(g, ids, verb, rpPath, tag, shortName, s);
            if (verb.equals("GET")) {
                operation(g, ids, "HEAD", rpPath, tag, shortName, s);
            }
        }
        g.writeEndObject();
    }

    private static void operation(JsonGenerator g, Set<String> ids, String verb, String rpPath, String tag,
                                  String shortName, Schema s) throws IOException {
        g.writeObjectFieldStart(verb.toLowerCase(Locale.ROOT));
        String id = operationId(tag, shortName, verb);
        for (int n = 2; !ids.add(id); n++) {
            id = operationId(tag, shortName, verb) + "_" + n;
        }
        g.writeStringField("operationId", id);
        g.writeStringField("summary", verb + " " + rpPath);
        g.writeArrayFieldStart("tags");
        g.writeString(tag);
        g.writeEndArray();
        boolean read = verb.equals("GET") || verb.equals("HEAD");
        if (read && s.in() != null) {
            g.writeArrayFieldStart("parameters");
            g.writeStartObject();
            g.writeStringField("name", s.in().toLowerCase(Locale.ROOT));
            g.writeStringField("in", "query");
            g.writeBooleanField("required", false);
            g.writeStringField("description", "The request's parameter, in " + s.in() + "; sent as its JSON body");
            g.writeObjectFieldStart("schema");
            g.writeStringField("type", "number");
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndArray();
        }
        if (!read && !verb.equals("DELETE")) {
            g.writeObjectFieldStart("requestBody");
            g.writeObjectFieldStart("content");
            for (String type : mediaTypes(s.types())) {
                g.writeObjectFieldStart(type);
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeObjectFieldStart("responses");
        g.writeObjectFieldStart("200");
        g.writeStringField("description", "REP" + (read && s.observable() ? "; with Accept: text/event-stream or"
                + " application/x-ndjson an observation that goes on until cancelled" : ""));
        if (!verb.equals("HEAD")) {
            g.writeObjectFieldStart("content");
            for (String type : mediaTypes(s.types())) {
                g.writeObjectFieldStart(type);
                g.writeEndObject();
            }
            if (read && s.observable()) {
                g.writeObjectFieldStart("text/event-stream");
                g.writeEndObject();
                g.writeObjectFieldStart(Ndjson.CONTENT_TYPE);
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeObjectFieldStart("default");
        g.writeStringField("description", "ERROR: its status (404, 405, 413, 503, 504, ...) and reason as text");
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
    }

    /** {@code <tag>_<path words>_<verb>}, unique per path and verb. */
    static String operationId(String tag, String shortName, String verb) {
        StringBuilder b = new StringBuilder();
        for (char c : (tag + "_" + shortName + "_" + verb.toLowerCase(Locale.ROOT)).toCharArray()) {
            boolean word = Character.isLetterOrDigit(c);
            if (word) {
                b.append(c);
            } else if (b.length() > 0 && b.charAt(b.length() - 1) != '_') {
                b.append('_');
            }
        }
        return b.toString();
    }

    private static List<String> mediaTypes(List<String> types) {
        Set<String> out = new LinkedHashSet<>();
        for (String t : types) {
            out.add(t.equals("*") ? "*/*" : BodyType.fromToken(t).map(HttpMapping::contentType).orElse("*/*"));
        }
        if (out.isEmpty()) {
            out.add("*/*");
        }
        return new ArrayList<>(out);
    }

    /**
     * Reads {@code {"verbs":[...],"types":[...] or "type":..,"observe":[...] or "observable":..,"in":..}};
     * null when it is not an object with verbs.
     */
    static Schema parse(String json) {
        Set<String> verbs = new LinkedHashSet<>();
        List<String> types = new ArrayList<>();
        boolean observable = false;
        String in = null;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "verbs" -> strings(p, t, verbs);
                    case "types", "type" -> strings(p, t, types);
                    case "observe", "observable" -> {
                        observable = t != JsonToken.VALUE_FALSE && t != JsonToken.VALUE_NULL;
                        p.skipChildren();
                    }
                    case "in" -> in = t == JsonToken.VALUE_STRING && p.getText().matches("[A-Za-z][A-Za-z0-9_]{0,31}")
                            ? p.getText() : null;
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            return null;
        }
        verbs.retainAll(VERBS);
        return verbs.isEmpty() ? null : new Schema(verbs, types, observable, in);
    }

    private static void strings(JsonParser p, JsonToken t, java.util.Collection<String> into) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            into.add(p.getText());
        } else if (t == JsonToken.START_ARRAY) {
            for (JsonToken e = p.nextToken(); e != null && e != JsonToken.END_ARRAY; e = p.nextToken()) {
                if (e == JsonToken.VALUE_STRING) {
                    into.add(p.getText());
                } else {
                    p.skipChildren();
                }
            }
        } else {
            p.skipChildren();
        }
    }
}

package dev.ferry.edge.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.ferry.edge.route.Meta;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Decoded;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * RP messages as WebSocket JSON text frames, both ways:
 * {@code {"verb":"GET","to":"/dev0/x","from":"/r/1","eof":true,"flow":50,"status":200,
 * "type":"j","body":...}}. The body is a JSON value when the type is {@code j}, a string when
 * {@code t}, base64 otherwise; with no type a string body means {@code t}, any other value
 * {@code j}. {@code eof} defaults to true; {@code flow}, {@code status}, {@code type}, {@code body}
 * are optional. Decoding never throws: bad input yields a {@link Result} with an error.
 *
 * <p>The last-value cache (issue 16): a request may carry {@code "maxAge":ms} (a cached value at
 * most that old may answer; 0 = live) and {@code "acceptStale":true} (the last value, marked,
 * while the device is down); a reply says {@code "age":ms} and, when so, {@code "cached":true}
 * (from the gateway's cache) and {@code "stale":true} (the device is down).
 */
final class WsJson {
    private WsJson() { }

    /** A decoded message, or why the frame is not one. Exactly one field is non-null. */
    record Result(Message message, String error, long maxAgeMs, boolean acceptStale) {
        Result(Message message, String error) {
            this(message, error, -1, false);
        }

        static Result fail(String error) {
            return new Result(null, error);
        }
    }

    static Result decode(JsonFactory json, String text) {
        try (JsonParser p = json.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Result.fail("a frame must be a JSON object");
            }
            Fields f = new Fields();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                String err = f.read(json, name, t, p);
                if (err != null) {
                    return Result.fail(err);
                }
            }
            if (p.nextToken() != null) {
                return Result.fail("trailing data after the JSON object");
            }
            return f.build(json);
        } catch (JsonProcessingException e) {
            return Result.fail("bad JSON: " + e.getOriginalMessage());
        } catch (IOException | IllegalArgumentException e) {
            return Result.fail("bad frame: " + e.getMessage());
        }
    }

    /** The frame for {@code m}, addressed to {@code to} (the client's own path). */
    static String encode(JsonFactory json, Message m, Path to) {
        return encode(json, m, to, null);
    }

    /** Like {@link #encode(JsonFactory, Message, Path)}, with the reply's freshness (may be null). */
    static String encode(JsonFactory json, Message m, Path to, Meta meta) {
        StringWriter w = new StringWriter(m.bodyLength() + 96);
        try (JsonGenerator g = json.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("verb", m.verb().token());
            g.writeStringField("to", to.toString());
            g.writeStringField("from", m.from().toString());
            g.writeBooleanField("eof", m.eof());
            if (m.flow().isPresent()) {
                g.writeNumberField("flow", m.flow().getAsInt());
            }
            if (m.verb().hasStatus()) {
                g.writeNumberField("status", m.status());
            }
            if (meta != null && meta.hasFreshness()) {
                g.writeNumberField("age", Math.max(0, meta.ageMs()));
                if (meta.cached()) {
                    g.writeBooleanField("cached", true);
                }
                if (meta.stale()) {
                    g.writeBooleanField("stale", true);
                }
            }
            if (m.bodyType().isPresent()) {
                writeBody(json, g, m.bodyType().get(), m.body());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // a StringWriter does not fail
        }
        return w.toString();
    }

    /** {@code {"error":reason,"detail":detail}}. */
    static String error(JsonFactory json, String reason, String detail) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = json.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("error", reason);
            g.writeStringField("detail", detail);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void writeBody(JsonFactory json, JsonGenerator g, BodyType type, byte[] body)
            throws IOException {
        if (type.equals(BodyType.JSON)) {
            try (JsonParser p = json.createParser(body)) {
                p.nextToken();
                StringWriter copy = new StringWriter(body.length);
                try (JsonGenerator c = json.createGenerator(copy)) {
                    c.copyCurrentStructure(p);
                }
                if (p.nextToken() == null) {
                    g.writeStringField("type", "j");
                    g.writeFieldName("body");
                    g.writeRawValue(copy.toString());
                    return;
                }
            } catch (IOException notJson) {
                // fall through: the device sent invalid JSON; show it as text
            }
            g.writeStringField("type", "t");
            g.writeStringField("body", new String(body, StandardCharsets.UTF_8));
        } else if (type.equals(BodyType.TEXT)) {
            g.writeStringField("type", "t");
            g.writeStringField("body", new String(body, StandardCharsets.UTF_8));
        } else {
            g.writeStringField("type", type.token());
            g.writeStringField("body", Base64.getEncoder().encodeToString(body));
        }
    }

    private static byte[] jsonString(JsonFactory json, String s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() + 2);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeString(s);
        }
        return out.toByteArray();
    }

    /** The fields of one frame as they are read, in any order. */
    private static final class Fields {
        Verb verb;
        Path to;
        Path from;
        boolean eof = true;
        int flow = -1;
        int status;
        BodyType type;
        String bodyString;
        byte[] bodyJson;
        long maxAgeMs = -1;
        boolean acceptStale;

        String read(JsonFactory json, String name, JsonToken t, JsonParser p) throws IOException {
            switch (name) {
                case "verb" -> {
                    verb = t == JsonToken.VALUE_STRING ? Verb.fromToken(p.getText()).orElse(null) : null;
                    return verb == null ? "unknown verb: " + p.getText() : null;
                }
                case "to", "from" -> {
                    Decoded<Path> path = t == JsonToken.VALUE_STRING ? Path.parse(p.getText()) : null;
                    if (path == null || !path.isOk()) {
                        return "bad " + name + " path: " + p.getText();
                    }
                    if (name.equals("to")) {
                        to = path.value();
                    } else {
                        from = path.value();
                    }
                    return null;
                }
                case "eof" -> {
                    if (!t.isBoolean()) {
                        return "eof must be true or false";
                    }
                    eof = p.getBooleanValue();
                    return null;
                }
                case "flow", "status" -> {
                    if (t != JsonToken.VALUE_NUMBER_INT) {
                        return name + " must be an integer";
                    }
                    long v = p.getLongValue();
                    if (name.equals("flow") ? v < 0 || v > 100 : v < 100 || v > 999) {
                        return name + " out of range: " + v;
                    }
                    if (name.equals("flow")) {
                        flow = (int) v;
                    } else {
                        status = (int) v;
                    }
                    return null;
                }
                case "maxAge" -> {
                    if (t != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0) {
                        return "maxAge must be a number of milliseconds >= 0";
                    }
                    maxAgeMs = Math.min(p.getLongValue(), 86_400_000L);
                    return null;
                }
                case "acceptStale" -> {
                    if (!t.isBoolean()) {
                        return "acceptStale must be true or false";
                    }
                    acceptStale = p.getBooleanValue();
                    return null;
                }
                case "type" -> {
                    type = t == JsonToken.VALUE_STRING ? BodyType.fromToken(p.getText()).orElse(null) : null;
                    return type == null ? "bad body type: " + p.getText() : null;
                }
                case "body" -> {
                    if (t == JsonToken.VALUE_STRING) {
                        bodyString = p.getText();
                    } else if (t != JsonToken.VALUE_NULL) {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        try (JsonGenerator g = json.createGenerator(out)) {
                            g.copyCurrentStructure(p);
                        }
                        bodyJson = out.toByteArray();
                    }
                    return null;
                }
                default -> {
                    p.skipChildren();   // unknown fields are ignored, like lower-case RP keys
                    return null;
                }
            }
        }

        Result build(JsonFactory json) throws IOException {
            if (verb == null || to == null || from == null) {
                return Result.fail("verb, to and from are required");
            }
            if (status != 0 && !verb.hasStatus()) {
                return Result.fail("status only on REP and ERROR");
            }
            byte[] body = new byte[0];
            BodyType bt = type;
            if (bodyJson != null) {
                if (bt != null && !bt.equals(BodyType.JSON)) {
                    return Result.fail("a non-string body needs type j");
                }
                bt = BodyType.JSON;
                body = bodyJson;
            } else if (bodyString != null) {
                if (bt == null) {
                    bt = BodyType.TEXT;
                }
                if (bt.equals(BodyType.JSON)) {
                    body = jsonString(json, bodyString);
                } else if (HttpMapping.isText(bt)) {
                    body = bodyString.getBytes(StandardCharsets.UTF_8);
                } else {
                    try {
                        body = Base64.getDecoder().decode(bodyString);
                    } catch (IllegalArgumentException e) {
                        return Result.fail("body of type " + bt + " must be base64");
                    }
                }
            }
            Message.Builder b = Message.builder(verb, to, from).eof(eof).flow(flow).body(bt, body);
            if (status != 0) {
                b.status(status);
            }
            return new Result(b.build(), null, maxAgeMs, acceptStale);
        }
    }
}

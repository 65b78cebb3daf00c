package dev.ferry.edge.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The query string of a request as its RP body (docs/http-api.md, "The query string"), so that
 * what a browser link can carry is never dropped:
 *
 * <pre>
 *   ?64            → 64                 (the value alone)
 *   ?kib=64        → 64                 (one name=value: the name is for the reader, e.g. #schema "in")
 *   ?a=1&amp;b=x       → {"a":1,"b":"x"}    (several: an object)
 * </pre>
 *
 * A value that is a JSON value ({@code 64}, {@code true}, {@code "x"}, {@code [1,2]}) is sent as
 * it is, anything else as a JSON string. Percent escapes and {@code +} (a space) are decoded. A
 * repeated name, an empty name or a bad escape is an error. Pure; never throws on bad input.
 */
final class QueryBody {
    /** Longest query string taken (the request line is bounded by the HTTP decoder as well). */
    static final int MAX_QUERY = 4096;

    /** No query (body null, error null), a JSON body, or why the query is refused. */
    record Result(byte[] body, String error) {
        static final Result NONE = new Result(null, null);
    }

    private static final JsonFactory JSON = new JsonFactory();

    private QueryBody() { }

    /** The body the query string of {@code uri} stands for. */
    static Result of(String uri) {
        int q = uri == null ? -1 : uri.indexOf('?');
        if (q < 0 || q == uri.length() - 1) {
            return Result.NONE;
        }
        String query = uri.substring(q + 1);
        int hash = query.indexOf('#');
        if (hash >= 0) {
            query = query.substring(0, hash);
        }
        if (query.length() > MAX_QUERY) {
            return new Result(null, "query string longer than " + MAX_QUERY + " characters");
        }
        Map<String, String> params = new LinkedHashMap<>();
        String single = null;
        for (String part : query.split("&", -1)) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name = decode(eq < 0 ? part : part.substring(0, eq));
            String value = eq < 0 ? null : decode(part.substring(eq + 1));
            if (name == null || (eq >= 0 && value == null)) {
                return new Result(null, "bad percent escape in the query string");
            }
            if (eq < 0) {
                if (single != null) {
                    return new Result(null, "a query is one value (?64) or name=value pairs (?kib=64)");
                }
                single = name;
                continue;
            }
            if (name.isEmpty()) {
                return new Result(null, "a query parameter without a name");
            }
            if (params.put(name, value) != null) {
                return new Result(null, "query parameter " + name + " given twice");
            }
        }
        if (single != null && !params.isEmpty()) {
            return new Result(null, "a query is one value (?64) or name=value pairs (?kib=64), not both");
        }
        if (single != null) {
            return new Result(json(single), null);
        }
        if (params.isEmpty()) {
            return Result.NONE;
        }
        if (params.size() == 1) {
            return new Result(json(params.values().iterator().next()), null);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, String> e : params.entrySet()) {
                g.writeFieldName(e.getKey());
                g.writeRawValue(new String(json(e.getValue()), StandardCharsets.UTF_8));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // in memory
        }
        return new Result(out.toByteArray(), null);
    }

    /** {@code value} as JSON: itself when it is one JSON value, else a JSON string. */
    static byte[] json(String value) {
        if (isJsonValue(value)) {
            return value.trim().getBytes(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length() + 2);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static boolean isJsonValue(String s) {
        if (s.isBlank()) {
            return false;
        }
        try (JsonParser p = JSON.createParser(s)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    /** Percent-decodes UTF-8, {@code +} as a space; null on a bad escape or bad UTF-8. */
    private static String decode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    return null;
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+') {
                out.write(' ');
            } else if (c < 0x80) {
                out.write(c);
            } else {
                return null;                                 // raw non-ASCII in a request line
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }
}

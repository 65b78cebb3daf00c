package dev.ferry.edge.http;

import dev.ferry.rp.BodyType;
import dev.ferry.rp.Decoded;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.util.Locale;

/**
 * The pure rules that map HTTP onto RP and back: URL to path, method to verb, Content-Type to
 * body type and back, RP status to HTTP status. No I/O; never throws on bad input.
 */
final class HttpMapping {
    private HttpMapping() { }

    /** A decoded request path, or the reason it is not one. Exactly one field is non-null. */
    record PathResult(Path path, String error) { }

    /**
     * The RP path named by a request URI: query left out (it is the body: {@link QueryBody}), {@code %XX} decoded (so {@code %23} is
     * {@code #}), then validated as an RP path.
     */
    static PathResult decodePath(String uri) {
        if (uri == null || uri.isEmpty()) {
            return new PathResult(null, "empty request target");
        }
        String s = uri;
        int scheme = s.indexOf("://");
        if (scheme > 0 && s.charAt(0) != '/') {
            int slash = s.indexOf('/', scheme + 3);
            s = slash < 0 ? "/" : s.substring(slash);
        }
        int q = s.indexOf('?');
        if (q >= 0) {
            s = s.substring(0, q);
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    return new PathResult(null, "bad percent escape at offset " + i);
                }
                c = (char) (hi * 16 + lo);
                i += 2;
            }
            if (c < 0x21 || c > 0x7E) {
                return new PathResult(null, String.format("byte 0x%02x is not allowed in an RP path", (int) c));
            }
            out.append(c);
        }
        Decoded<Path> p = Path.parse(out.toString());
        if (!p.isOk()) {
            return new PathResult(null, "not a valid RP path (" + p.error() + "): " + out);
        }
        return new PathResult(p.value(), null);
    }

    /** The RP verb for an HTTP method, or null when the method has none. */
    static Verb verb(String method) {
        return switch (method) {
            case "GET" -> Verb.GET;
            case "PUT" -> Verb.PUT;
            case "POST" -> Verb.POST;
            case "PATCH" -> Verb.PATCH;
            case "DELETE" -> Verb.DELETE;
            default -> null;
        };
    }

    /** The body type for a Content-Type header value (null or empty means octets). */
    static BodyType bodyType(String contentType) {
        if (contentType == null) {
            return BodyType.OCTETS;
        }
        int semi = contentType.indexOf(';');
        String media = (semi < 0 ? contentType : contentType.substring(0, semi)).trim()
                .toLowerCase(Locale.ROOT);
        return switch (media) {
            case "application/json" -> BodyType.JSON;
            case "text/plain" -> BodyType.TEXT;
            case "application/octet-stream", "" -> BodyType.OCTETS;
            default -> BodyType.fromToken(media).orElse(BodyType.OCTETS);
        };
    }

    /** The Content-Type for a body type. */
    static String contentType(BodyType type) {
        if (type == null || type.equals(BodyType.OCTETS)) {
            return "application/octet-stream";
        }
        if (type.equals(BodyType.JSON)) {
            return "application/json";
        }
        if (type.equals(BodyType.TEXT)) {
            return "text/plain; charset=utf-8";
        }
        return type.token();
    }

    /** The HTTP status of a REP: its own when 2xx or 3xx, else 200. */
    static int repStatus(int status) {
        return status >= 200 && status < 400 ? status : 200;
    }

    /** The HTTP status of an ERROR: its own when 400..599, else 502. */
    static int errorStatus(int status) {
        return status >= 400 && status < 600 ? status : 502;
    }

    /** True when an Accept header asks for Server-Sent Events. */
    static boolean wantsEventStream(String accept) {
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/event-stream");
    }

    /** True when an Accept header asks for newline-delimited JSON (and not for SSE). */
    static boolean wantsNdjson(String accept) {
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("application/x-ndjson");
    }

    /** True for a body type shown as text (t, or a text/* media type). */
    static boolean isText(BodyType type) {
        return type != null && (type.equals(BodyType.TEXT) || type.token().startsWith("text/"));
    }
}

package dev.ferry.edge.http;

import dev.ferry.edge.route.Meta;
import dev.ferry.rp.Message;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Locale;

/**
 * The last-value cache and shared observations on HTTP (issue 16): {@link Meta}'s cache hints
 * from request headers, its freshness as response headers and in server-sent events. Pure
 * functions.
 *
 * <pre>
 *   request   Cache-Control: max-age=N     a cached value at most N s old may answer (0: live)
 *             Cache-Control: no-cache      live (max-age 0)
 *             Cache-Control: max-stale     while the device is down, its last value (marked stale)
 *                                          rather than 503
 *   response  Age: S  X-Ferry-Age-Ms: MS   how old the value is (S whole seconds, RFC 9111)
 *             X-Ferry-Source: cache | mcu  the gateway's cache, or the device just now
 *             X-Ferry-Stale: true          the device is down; this is the last value seen
 *   SSE       age: MS                      on an event whose value is not live (a late
 *                                          subscriber's first one); EventSource ignores the field
 *             event: stale                 the device is down (data: its last value, or empty)
 * </pre>
 */
final class CacheHeaders {
    /** Longest max-age honoured, in seconds (one day); larger values are taken as this. */
    static final long MAX_AGE_S = 86_400;

    private CacheHeaders() { }

    /** {@code base} with the cache hints of the request headers {@code h} (unchanged if none). */
    static Meta hints(HttpHeaders h, Meta base) {
        long maxAgeMs = -1;
        boolean stale = false;
        for (String value : h.getAll(HttpHeaderNames.CACHE_CONTROL)) {
            for (String part : value.split(",")) {
                String d = part.trim().toLowerCase(Locale.ROOT);
                if (d.equals("no-cache") || d.equals("no-store")) {
                    maxAgeMs = 0;
                } else if (d.startsWith("max-age=")) {
                    long s = seconds(d.substring(8));
                    if (s >= 0 && maxAgeMs != 0) {
                        maxAgeMs = s * 1000;
                    }
                } else if (d.equals("max-stale") || d.startsWith("max-stale=")) {
                    stale = true;
                }
            }
        }
        return maxAgeMs < 0 && !stale ? base : base.withCache(maxAgeMs, stale);
    }

    /** A delta-seconds value (RFC 9111 1.2.2), capped at {@link #MAX_AGE_S}; -1 if malformed. */
    private static long seconds(String s) {
        String v = s.startsWith("\"") && s.endsWith("\"") && s.length() >= 2 ? s.substring(1, s.length() - 1) : s;
        if (v.isEmpty() || v.length() > 12) {
            return v.length() > 12 && v.chars().allMatch(Character::isDigit) ? MAX_AGE_S : -1;
        }
        for (int i = 0; i < v.length(); i++) {
            if (!Character.isDigit(v.charAt(i))) {
                return -1;
            }
        }
        return Math.min(Long.parseLong(v), MAX_AGE_S);
    }

    /** Response headers (name, value pairs) for a reply's freshness; none when it says nothing. */
    static String[] headers(Meta meta) {
        if (meta == null || !meta.hasFreshness()) {
            return new String[0];
        }
        long age = Math.max(0, meta.ageMs());
        String source = meta.cached() ? "cache" : "mcu";
        return meta.stale()
                ? new String[] {"Age", Long.toString(age / 1000), "X-Ferry-Age-Ms", Long.toString(age),
                    "X-Ferry-Source", source, "X-Ferry-Stale", "true"}
                : new String[] {"Age", Long.toString(age / 1000), "X-Ferry-Age-Ms", Long.toString(age),
                    "X-Ferry-Source", source};
    }

    /** {@code a} followed by {@code b}. */
    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The server-sent event for REP {@code m}: {@link SseFormat#event}, marked as above. */
    static String sse(long id, Message m, Meta meta) {
        String event = SseFormat.event(id, m);
        if (meta == null || !(meta.cached() || meta.stale())) {
            return event;
        }
        StringBuilder sb = new StringBuilder(event.length() + 32);
        if (meta.stale()) {
            sb.append("event: stale\n");
        }
        if (meta.ageMs() >= 0) {
            sb.append("age: ").append(meta.ageMs()).append('\n');
        }
        return sb.append(event).toString();
    }
}

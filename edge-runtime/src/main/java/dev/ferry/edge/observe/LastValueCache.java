package dev.ferry.edge.observe;

import dev.ferry.edge.metrics.Metrics;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gateway's last-value cache: the newest value seen for each resource (from an observation
 * or a GET), keyed by the endpoint it lives behind, its path in that endpoint's namespace and the
 * request's parameters (its body). A value observed with parameters (e.g. a period) is also the
 * resource's plain last value, which answers GETs without a body. Bounded in entries and in bytes; the least recently used entry
 * goes first, counted as {@code ferry_cache_evicted_total{reason="entries"|"bytes"}}. A value
 * larger than a quarter of the byte bound is not kept ({@code reason="too_large"}). Thread-safe.
 */
public final class LastValueCache {
    /** Bytes an entry costs beyond its body and key strings (objects, map node). */
    static final int ENTRY_OVERHEAD = 96;

    /**
     * What a value is cached under.
     *
     * @param endpoint the router endpoint id the resource lives behind ({@code device:dev0})
     * @param path     the resource's path in that endpoint's namespace
     * @param params   the request body that selects the representation ("" for none)
     */
    public record Key(String endpoint, Path path, String params) {
        /** The key of request {@code m} (a GET) to {@code endpoint}. */
        static Key of(String endpoint, Message m) {
            String params = m.bodyLength() == 0 ? ""
                    : m.bodyType().map(t -> t.token()).orElse("") + ":"
                    + new String(m.body(), StandardCharsets.ISO_8859_1);
            return new Key(endpoint, m.to(), params);
        }

        /** The same resource without parameters: where a plain GET looks. */
        Key plain() {
            return params.isEmpty() ? this : new Key(endpoint, path, "");
        }

        int cost() {
            return endpoint.length() + path.toString().length() + params.length();
        }
    }

    private final LinkedHashMap<Key, LastValue> values = new LinkedHashMap<>(64, 0.75f, true);
    private final int maxEntries;
    private final long maxBytes;
    private final Metrics metrics;
    private long bytes;

    public LastValueCache(int maxEntries, long maxBytes, Metrics metrics) {
        if (maxEntries < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("cache bounds must be positive");
        }
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.metrics = metrics;
        metrics.describe("ferry_cache_evicted_total", "Last values evicted from the cache, by reason"
                + " (entries, bytes, too_large).");
    }

    /** The value cached for {@code k}, or null. */
    synchronized LastValue get(Key k) {
        return values.get(k);
    }

    /** Keeps {@code v} as the newest value of {@code k}, evicting the least recently used as needed. */
    synchronized void put(Key k, LastValue v) {
        long cost = cost(k, v);
        LastValue old = values.remove(k);
        if (old != null) {
            bytes -= cost(k, old);
        }
        if (cost > maxBytes / 4) {
            metrics.inc("ferry_cache_evicted_total", "reason", "too_large");
            return;
        }
        values.put(k, v);
        bytes += cost;
        Iterator<Map.Entry<Key, LastValue>> it = values.entrySet().iterator();
        while ((values.size() > maxEntries || bytes > maxBytes) && it.hasNext()) {
            Map.Entry<Key, LastValue> eldest = it.next();
            metrics.inc("ferry_cache_evicted_total", "reason", values.size() > maxEntries ? "entries" : "bytes");
            bytes -= cost(eldest.getKey(), eldest.getValue());
            it.remove();
        }
    }

    /**
     * Endpoint {@code endpoint} went down: its values are kept (for clients that accept stale
     * ones) but marked as from before the outage, so none is served as fresh afterwards.
     */
    synchronized void markStale(String endpoint) {
        values.replaceAll((k, v) -> k.endpoint().equals(endpoint) ? v.beforeOutage() : v);
    }

    /** Entries now. */
    public synchronized int size() {
        return values.size();
    }

    /** Bytes now, as the bound counts them. */
    public synchronized long bytes() {
        return bytes;
    }

    private static long cost(Key k, LastValue v) {
        return ENTRY_OVERHEAD + k.cost() + v.bodyLength();
    }
}

package dev.ferry.edge.metrics;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The runtime's counters and gauges, by name. Counter names follow Prometheus conventions
 * ({@code ferry_router_dropped_total{reason="queue_full"}}); a name with labels is one counter.
 * Thread-safe; incrementing is lock-free. The set of names is bounded by the code that creates
 * them (names are never built from peer input).
 */
public final class Metrics {
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();

    /** The counter called {@code name}, created at zero on first use. */
    public LongAdder counter(String name) {
        return counters.computeIfAbsent(name, n -> new LongAdder());
    }

    /** Adds one to {@code name}. */
    public void inc(String name) {
        counter(name).increment();
    }

    /** Registers (or replaces) a gauge read when a snapshot is taken. */
    public void gauge(String name, LongSupplier value) {
        gauges.put(name, value);
    }

    /** Removes a gauge, e.g. when the device it measured is gone. */
    public void removeGauge(String name) {
        gauges.remove(name);
    }

    /** The current value of a counter, 0 if it never counted. */
    public long value(String name) {
        LongAdder a = counters.get(name);
        return a == null ? 0 : a.sum();
    }

    /** All counters and gauges, sorted by name. */
    public SortedMap<String, Long> snapshot() {
        SortedMap<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        gauges.forEach((k, v) -> out.put(k, v.getAsLong()));
        return out;
    }
}

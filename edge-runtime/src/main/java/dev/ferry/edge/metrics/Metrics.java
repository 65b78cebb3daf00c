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
    private final Map<String, String> help = new ConcurrentHashMap<>();

    /**
     * The full name of one labelled series: {@code family{k1="v1",k2="v2"}}, label values escaped
     * as the Prometheus text format requires ({@code \}, {@code "} and newline). Use this rather
     * than building label strings by hand; values that come from config (a port path, a peer id)
     * may hold any character.
     *
     * @param labels label names and values, alternating; names are [a-zA-Z_][a-zA-Z0-9_]*
     * @throws IllegalArgumentException for an odd number of label strings or a bad label name
     */
    public static String key(String family, String... labels) {
        if (labels.length == 0) {
            return family;
        }
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name/value pairs: " + labels.length);
        }
        StringBuilder b = new StringBuilder(family.length() + 16 * labels.length).append(family).append('{');
        for (int i = 0; i < labels.length; i += 2) {
            if (!isLabelName(labels[i])) {
                throw new IllegalArgumentException("bad label name: " + labels[i]);
            }
            b.append(i == 0 ? "" : ",").append(labels[i]).append("=\"");
            String v = labels[i + 1] == null ? "" : labels[i + 1];
            for (int j = 0; j < v.length(); j++) {
                char c = v.charAt(j);
                switch (c) {
                    case '\\' -> b.append("\\\\");
                    case '"' -> b.append("\\\"");
                    case '\n' -> b.append("\\n");
                    default -> b.append(c);
                }
            }
            b.append('"');
        }
        return b.append('}').toString();
    }

    private static boolean isLabelName(String n) {
        if (n.isEmpty()) {
            return false;
        }
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Adds one to the series {@code family} with {@code labels} (see {@link #key}). */
    public void inc(String family, String... labels) {
        counter(key(family, labels)).increment();
    }

    /** Records the help text of a family (shown as {@code # HELP}); the last description wins. */
    public void describe(String family, String text) {
        help.put(family, text);
    }

    /** The help text of a family, or null when it was never described. */
    public String help(String family) {
        return help.get(family);
    }

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

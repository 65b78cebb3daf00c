package dev.ferry.edge.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.tinylog.Logger;

/**
 * The runtime's counters and gauges, grouped in families as Prometheus groups them: a family has
 * a name, a type and a help text; each of its series is the family with label values
 * ({@code ferry_router_dropped_total{reason="queue_full"}}, built by {@link #key}).
 *
 * <p>What callers may rely on:
 * <ul>
 *   <li>The type follows the name: a family ending in {@code _total} is a counter (a running
 *       total that only grows), any other a gauge (a value read with {@link #gauge} under a
 *       {@code _total} name is typed counter). Incrementing a family without {@code _total}, a
 *       name that is not {@code [a-zA-Z_:][a-zA-Z0-9_:]*} or a key that {@link #key} did not make
 *       (label values unescaped) throws {@link IllegalArgumentException}: label values go through
 *       {@link #key}, which escapes them, so any value (a port path with {@code "} or {@code \})
 *       gives valid exposition text.</li>
 *   <li>A series counted here or registered with {@link #gauge} is not replaced by a collector
 *       emitting the same series.</li>
 *   <li>Series come from three sources: counters kept here ({@link #inc}, {@link #counter}),
 *       values read from elsewhere when a snapshot is taken ({@link #gauge}, {@link #counterOf})
 *       and {@link Collector}s that emit many series from one consistent look (one per serial
 *       line, one per peer link). A collector that throws is logged and counted in
 *       {@code ferry_metrics_collector_errors_total} (logged at most once a minute); the rest of
 *       the snapshot is still taken.</li>
 *   <li>Thread-safe; incrementing is lock-free. The set of names is bounded by the code that
 *       creates them (names and label values are never built from peer input).</li>
 * </ul>
 */
public final class Metrics {
    /** The Prometheus type of a family, decided by its name. */
    public enum Type { COUNTER, GAUGE }

    /** Where a {@link Collector} puts the series it reads. */
    public interface Samples {
        /** A running total, {@code family} ending in {@code _total}. */
        void counter(String family, long value, String... labels);

        /** A value that goes up and down. */
        void gauge(String family, long value, String... labels);
    }

    /** Emits series read together from one source, each time a snapshot is taken. */
    @FunctionalInterface
    public interface Collector {
        void collect(Samples out);
    }

    /** One family in a snapshot: its series by key, sorted. {@code help} is null when undescribed. */
    public record Family(String name, Type type, String help, SortedMap<String, Long> samples) { }

    private record Source(Type type, LongSupplier value) { }

    private static final String COLLECTOR_ERRORS = "ferry_metrics_collector_errors_total";

    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final Map<String, Source> sources = new ConcurrentHashMap<>();
    private final Map<String, Collector> collectors = new ConcurrentHashMap<>();
    private final Map<String, String> help = new ConcurrentHashMap<>();
    private final LogBudget errorLog = new LogBudget(60_000_000_000L, 64, System::nanoTime);

    public Metrics() {
        describe(COLLECTOR_ERRORS, "Snapshots in which a metrics collector failed, by collector.");
    }

    /**
     * The full name of one labelled series: {@code family{k1="v1",k2="v2"}}, label values escaped
     * as the Prometheus text format requires ({@code \}, {@code "} and newline). Values that come
     * from config (a port path, a peer id) may hold any character.
     *
     * @param labels label names and values, alternating; names are [a-zA-Z_][a-zA-Z0-9_]*
     * @throws IllegalArgumentException for an odd number of label strings, a bad label name or a
     *     bad family name
     */
    public static String key(String family, String... labels) {
        checkFamily(family);
        if (labels.length == 0) {
            return family;
        }
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name/value pairs: " + labels.length);
        }
        StringBuilder b = new StringBuilder(family.length() + 16 * labels.length).append(family).append('{');
        for (int i = 0; i < labels.length; i += 2) {
            if (!isName(labels[i], false)) {
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

    /** The family of a key made by {@link #key}: the part before {@code {}. */
    public static String family(String key) {
        int brace = key.indexOf('{');
        return brace < 0 ? key : key.substring(0, brace);
    }

    /** The type a family has by its name. */
    public static Type typeOf(String family) {
        return family.endsWith("_total") ? Type.COUNTER : Type.GAUGE;
    }

    private static void checkFamily(String family) {
        if (family == null || !isName(family, true)) {
            throw new IllegalArgumentException("bad metric family name (labels go through Metrics.key): " + family);
        }
    }

    private static void check(String family, Type type) {
        checkFamily(family);
        if (typeOf(family) != type) {
            throw new IllegalArgumentException(type == Type.COUNTER
                    ? "a counter's name ends in _total: " + family
                    : "only counters end in _total: " + family);
        }
    }

    private static boolean isName(String n, boolean colon) {
        if (n.isEmpty()) {
            return false;
        }
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || (colon && c == ':') || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Adds one to the counter {@code family} with {@code labels} (see {@link #key}). */
    public void inc(String family, String... labels) {
        counter(family, labels).increment();
    }

    /** The counter {@code family} with {@code labels}, created at zero on first use; hold it on hot paths. */
    public LongAdder counter(String family, String... labels) {
        if (labels.length == 0) {
            LongAdder known = counters.get(family);       // only valid keys were ever put there
            if (known != null) {
                return known;
            }
        }
        String k = seriesKey(family, labels);
        check(family(k), Type.COUNTER);
        return counters.computeIfAbsent(k, x -> new LongAdder());
    }

    /**
     * The key for {@code family} and {@code labels}; {@code family} may also be a whole key made
     * by {@link #key} (then without labels), which is checked to be one: label names valid,
     * values escaped. A key built by hand that the text format could not carry is refused.
     */
    private static String seriesKey(String family, String... labels) {
        if (labels.length == 0 && family != null && family.indexOf('{') > 0) {
            checkKey(family);
            return family;
        }
        return key(family, labels);
    }

    /** Throws unless {@code k} is {@code family{name="value",...}} with values escaped as key() does. */
    static void checkKey(String k) {
        int brace = k.indexOf('{');
        checkFamily(k.substring(0, brace));
        int i = brace + 1;
        boolean ok = k.endsWith("}") && k.length() > brace + 2;
        while (ok && i < k.length() - 1) {
            int eq = k.indexOf("=\"", i);
            ok = eq > i && isName(k.substring(i, eq), false);
            int j = eq + 2;
            while (ok && j < k.length() - 1 && k.charAt(j) != '"') {
                char c = k.charAt(j);
                if (c == '\\') {
                    char n = j + 1 < k.length() ? k.charAt(j + 1) : 0;
                    ok = n == '\\' || n == '"' || n == 'n';
                    j += 2;
                } else {
                    ok = c != '\n';
                    j++;
                }
            }
            ok = ok && j < k.length() - 1 && k.charAt(j) == '"';
            i = j + 1;
            if (ok && i < k.length() - 1) {
                ok = k.charAt(i) == ',';
                i++;
            }
        }
        if (!ok) {
            throw new IllegalArgumentException("not a series key made by Metrics.key: " + k);
        }
    }

    /**
     * Registers (or replaces) a value read when a snapshot is taken. Its type follows its name like
     * every family's: a {@code _total} name is a running total kept elsewhere (as {@link #counterOf}).
     */
    public void gauge(String family, LongSupplier value, String... labels) {
        String k = seriesKey(family, labels);
        sources.put(k, new Source(typeOf(family(k)), value));
    }

    /** Registers (or replaces) a running total kept elsewhere (e.g. a serial line's byte count), read at snapshot time. */
    public void counterOf(String family, LongSupplier value, String... labels) {
        String k = seriesKey(family, labels);
        check(family(k), Type.COUNTER);
        sources.put(k, new Source(Type.COUNTER, value));
    }

    /** Removes a gauge or {@link #counterOf} series, e.g. when the device it measured is gone. */
    public void remove(String family, String... labels) {
        sources.remove(seriesKey(family, labels));
    }

    /** Registers (or replaces) the collector called {@code id}. */
    public void collector(String id, Collector c) {
        collectors.put(id, c);
    }

    /** Removes the collector called {@code id}. */
    public void removeCollector(String id) {
        collectors.remove(id);
    }

    /** Records the help text of a family (shown as {@code # HELP}); the last description wins. */
    public void describe(String family, String text) {
        checkFamily(family);
        help.put(family, text);
    }

    /** The help text of a family, or null when it was never described. */
    public String help(String family) {
        return help.get(family);
    }

    /** The current value of a series, by key (see {@link #key}); 0 if it is not there. */
    public long value(String key) {
        LongAdder a = counters.get(key);
        if (a != null) {
            return a.sum();
        }
        Source s = sources.get(key);
        if (s != null) {
            return s.value().getAsLong();
        }
        Long v = snapshot().get(key);
        return v == null ? 0 : v;
    }

    /** The current value of {@code family} with {@code labels}; 0 if it is not there. */
    public long value(String family, String... labels) {
        return value(key(family, labels));
    }

    /** Every series by key, sorted (the {@code /#runtime/metrics} view). */
    public SortedMap<String, Long> snapshot() {
        SortedMap<String, Long> out = new TreeMap<>();
        for (Family f : families()) {
            out.putAll(f.samples());
        }
        return out;
    }

    /** Every family with its series, sorted by name (the {@code /metrics} view). */
    public List<Family> families() {
        SortedMap<String, SortedMap<String, Long>> byFamily = new TreeMap<>();
        counters.forEach((k, v) -> put(byFamily, k, v.sum()));
        sources.forEach((k, s) -> put(byFamily, k, s.value().getAsLong()));
        collectors.forEach((id, c) -> {
            try {
                c.collect(new Samples() {
                    @Override public void counter(String family, long value, String... labels) {
                        check(family, Type.COUNTER);
                        putIfAbsent(byFamily, key(family, labels), value);
                    }

                    @Override public void gauge(String family, long value, String... labels) {
                        check(family, Type.GAUGE);
                        putIfAbsent(byFamily, key(family, labels), value);
                    }
                });
            } catch (RuntimeException e) {
                if (errorLog.admit(id) >= 0) {
                    Logger.error(e, "metrics: collector {} failed (logged once a minute, counted every time)", id);
                }
                inc(COLLECTOR_ERRORS, "collector", id);
                put(byFamily, key(COLLECTOR_ERRORS, "collector", id), value(COLLECTOR_ERRORS, "collector", id));
            }
        });
        List<Family> out = new ArrayList<>(byFamily.size());
        byFamily.forEach((name, samples) -> out.add(new Family(name, typeOf(name), help.get(name), samples)));
        return out;
    }

    private static void put(SortedMap<String, SortedMap<String, Long>> byFamily, String key, long value) {
        byFamily.computeIfAbsent(family(key), f -> new TreeMap<>()).put(key, value);
    }

    /** A collector's series never replaces one counted here (the same series counted at its source). */
    private static void putIfAbsent(SortedMap<String, SortedMap<String, Long>> byFamily, String key, long value) {
        byFamily.computeIfAbsent(family(key), f -> new TreeMap<>()).putIfAbsent(key, value);
    }
}

package dev.ferry.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Latency samples in nanoseconds and the small amount of statistics the benchmark mains print
 * (nearest-rank percentiles), plus {@code --key value} argument parsing. Not thread-safe; bounded
 * by the capacity given at construction.
 */
final class BenchSamples {
    private final long[] values;
    private int size;

    BenchSamples(int capacity) {
        values = new long[capacity];
    }

    /** Adds one sample; ignored beyond the capacity. */
    void add(long nanos) {
        if (size < values.length) {
            values[size++] = nanos;
        }
    }

    int size() {
        return size;
    }

    /** Nearest-rank percentile {@code p} (0..100) in milliseconds; NaN when empty. */
    double percentileMs(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
    }

    double medianMs() {
        return percentileMs(50);
    }

    double minMs() {
        return percentileMs(0);
    }

    /** The machine's load average now ("load 1.23 2.34 3.45", from /proc/loadavg), for every printed figure. */
    static String load() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split("\\s+");
            return "load " + f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "load ?";
        }
    }

    /** Warnings and errors only on the console (unless -Dtinylog.writer... is given); call first in main. */
    static void quietLogs() {
        if (System.getProperty("tinylog.writer") == null && !org.tinylog.configuration.Configuration.isFrozen()) {
            org.tinylog.configuration.Configuration.set("writer", "console");
            org.tinylog.configuration.Configuration.set("writer.level", "warn");
            org.tinylog.configuration.Configuration.set("writer.format", "{date: HH:mm:ss.SSS} {level} [{thread}] {message}");
        }
    }

    /** {@code --key value} pairs; a key without a value maps to "true". */
    static Map<String, String> args(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --key value, got " + args[i]);
            }
            String key = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                m.put(key, args[++i]);
            } else {
                m.put(key, "true");
            }
        }
        return m;
    }

    static int intArg(Map<String, String> a, String key, int dflt) {
        return a.containsKey(key) ? Integer.parseInt(a.get(key)) : dflt;
    }

    static int[] intsArg(Map<String, String> a, String key, int... dflt) {
        if (!a.containsKey(key)) {
            return dflt;
        }
        return Arrays.stream(a.get(key).split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    }
}

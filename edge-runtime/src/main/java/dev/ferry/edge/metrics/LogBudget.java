package dev.ferry.edge.metrics;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Decides whether a repeated log line may be written now: at most one line per key per
 * interval, so that a peer flooding garbage fills counters, not the disk. The lines held back
 * are counted and handed to the next line that is written for that key ("... and N more"), or,
 * when no further line comes, collected by {@link #drainHeld()} once the interval has passed.
 *
 * <p>Callers may rely on: the first event of a key is always written; {@link #admit} returns
 * -1 for an event to suppress, else how many were suppressed since the last written one; at
 * most {@code maxKeys} keys are tracked (a new key past that is always written, never stored),
 * so the table is bounded whatever the keys are. Thread-safe.
 */
public final class LogBudget {
    private final long intervalNanos;
    private final int maxKeys;
    private final LongSupplier clock;
    private final Map<String, long[]> keys = new HashMap<>(); // key -> {last written at, suppressed}

    public LogBudget(long intervalNanos, int maxKeys, LongSupplier clock) {
        if (intervalNanos <= 0 || maxKeys <= 0) {
            throw new IllegalArgumentException("interval and maxKeys must be > 0");
        }
        this.intervalNanos = intervalNanos;
        this.maxKeys = maxKeys;
        this.clock = clock;
    }

    /** One line per key per second, 256 keys, on the JVM's clock. */
    public static LogBudget perSecond() {
        return new LogBudget(1_000_000_000L, 256, System::nanoTime);
    }

    /** -1: do not write this one; otherwise write it, mentioning the returned count if > 0. */
    public synchronized long admit(String key) {
        long now = clock.getAsLong();
        long[] k = keys.get(key);
        if (k == null) {
            if (keys.size() < maxKeys) {
                keys.put(key, new long[] {now, 0});
            }
            return 0;
        }
        if (now - k[0] < intervalNanos) {
            k[1]++;
            return -1;
        }
        long suppressed = k[1];
        k[0] = now;
        k[1] = 0;
        return suppressed;
    }

    /**
     * The keys whose held-back lines are at least an interval old, with their counts, which are
     * reset: the caller writes one summary line per key, and that line counts as the key's
     * written line. A flood that stops within a second is then still reported.
     */
    public synchronized Map<String, Long> drainHeld() {
        long now = clock.getAsLong();
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : keys.entrySet()) {
            long[] k = e.getValue();
            if (k[1] > 0 && now - k[0] >= intervalNanos) {
                out.put(e.getKey(), k[1]);
                k[0] = now;
                k[1] = 0;
            }
        }
        return out;
    }
}

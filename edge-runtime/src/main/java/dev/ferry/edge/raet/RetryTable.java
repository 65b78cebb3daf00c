package dev.ferry.edge.raet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Sender-side transactions that transmit again on a timer until removed: kind B and D
 * sub-transactions (retry with doubling interval up to a cap; finite or infinite), kind A repeats
 * (fixed interval, a fixed number of copies) and the bootstrap's accept. Bounded; single-threaded.
 */
final class RetryTable {
    /** One transaction. {@code transmit} re-seals and sends (a fresh packet counter each time). */
    static final class Entry {
        final long key;
        final Runnable transmit;
        final Runnable onExpire;
        final int maxSends;
        final boolean backoff;
        final long cap;
        long interval;
        long nextAt;
        int sends;

        Entry(long key, Runnable transmit, Runnable onExpire, int maxSends, boolean backoff, long interval, long cap) {
            this.key = key;
            this.transmit = transmit;
            this.onExpire = onExpire;
            this.maxSends = maxSends;
            this.backoff = backoff;
            this.interval = interval;
            this.cap = cap;
        }
    }

    private final LinkedHashMap<Long, Entry> entries = new LinkedHashMap<>();
    private final int capacity;
    private long retransmissions;

    RetryTable(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Adds and transmits once. {@code maxSends} ≤ 0 means unlimited.
     *
     * @return false when the table is full or the key is in use (nothing sent)
     */
    boolean start(Entry e, long now) {
        if (entries.size() >= capacity || entries.containsKey(e.key)) {
            return false;
        }
        entries.put(e.key, e);
        e.transmit.run();
        e.sends = 1;
        e.nextAt = now + e.interval;
        return true;
    }

    Entry remove(long key) {
        return entries.remove(key);
    }

    Entry get(long key) {
        return entries.get(key);
    }

    /** Transmits what is due; ends (and reports) entries that have used all their sends. */
    void tick(long now) {
        List<Entry> due = null;
        for (Entry e : entries.values()) {
            if (now - e.nextAt >= 0) {
                if (due == null) {
                    due = new ArrayList<>();
                }
                due.add(e);
            }
        }
        if (due == null) {
            return;
        }
        for (Entry e : due) {
            if (e.maxSends > 0 && e.sends >= e.maxSends) {
                entries.remove(e.key);
                if (e.onExpire != null) {
                    e.onExpire.run();
                }
                continue;
            }
            e.transmit.run();
            e.sends++;
            retransmissions++;
            if (e.backoff) {
                e.interval = Math.min(e.interval * 2, e.cap);
            }
            e.nextAt = now + e.interval;
        }
    }

    /** Forgets everything, reporting each entry as expired. */
    void clear() {
        List<Entry> all = new ArrayList<>(entries.values());
        entries.clear();
        for (Entry e : all) {
            if (e.onExpire != null) {
                e.onExpire.run();
            }
        }
    }

    int size() {
        return entries.size();
    }

    long retransmissions() {
        return retransmissions;
    }
}

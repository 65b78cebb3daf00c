package dev.ferry.edge.raet;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Receiver duplicate detection: transaction keys seen within a timeout, at most {@code capacity}.
 * When full of live entries a new key is refused (the sender retries later), so exactly-once is
 * kept rather than silently weakened. Single-threaded.
 */
final class DupTable {
    private final LinkedHashMap<Long, Long> expiries = new LinkedHashMap<>();
    private final int capacity;
    private final long timeout;
    private long expired;

    DupTable(int capacity, long timeoutNanos) {
        this.capacity = capacity;
        this.timeout = timeoutNanos;
    }

    enum Outcome { NEW, DUPLICATE, FULL }

    /** Records {@code key} if new. */
    Outcome admit(long key, long now) {
        purge(now);
        if (expiries.containsKey(key)) {
            return Outcome.DUPLICATE;
        }
        if (expiries.size() >= capacity) {
            return Outcome.FULL;
        }
        expiries.put(key, now + timeout);
        return Outcome.NEW;
    }

    boolean contains(long key, long now) {
        purge(now);
        return expiries.containsKey(key);
    }

    /** Removes entries past their timeout (insertion order is expiry order). */
    void purge(long now) {
        Iterator<Map.Entry<Long, Long>> it = expiries.entrySet().iterator();
        while (it.hasNext()) {
            if (it.next().getValue() - now > 0) {
                return;
            }
            it.remove();
            expired++;
        }
    }

    long expired() {
        return expired;
    }

    int size() {
        return expiries.size();
    }

    void clear() {
        expiries.clear();
    }
}

package dev.ferry.serial.link;

import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.serial.header.BinaryHeaderCodec;

/**
 * The host's exchange table of one version 2 link (PROTOCOL.md 8.3): every request the host sends
 * gets a link-local {@code from} of {@code /#x/N} (one byte on the wire), and the station's answers
 * to {@code /#x/N} are given back the requester's own path, and their implied {@code from} (a final
 * reply leaves it out) is named: the stream path the station used before on this exchange, else
 * the request's {@code to}.
 *
 * <p>Bounded: at most {@value BinaryHeaderCodec#MAX_EXCHANGES} exchanges open at once;
 * {@link #outbound} returns null when none is free (the caller refuses the request). An exchange
 * ends with the station's final message to it. Requests that never got an answer are reclaimed
 * oldest-first once {@code staleNanos} passed and no id is free, unless they are open streams.
 * Not thread-safe: the line's thread owns it.
 */
final class ExchangeIds {
    private final Path[] requester = new Path[BinaryHeaderCodec.MAX_EXCHANGES];
    private final Path[] target = new Path[BinaryHeaderCodec.MAX_EXCHANGES];
    private final Path[] stream = new Path[BinaryHeaderCodec.MAX_EXCHANGES];
    private final long[] openedAt = new long[BinaryHeaderCodec.MAX_EXCHANGES];
    private final long staleNanos;
    private int next;
    private int open;

    ExchangeIds(long staleNanos) {
        this.staleNanos = staleNanos;
    }

    /** Exchanges open now. */
    int open() {
        return open;
    }

    /** Forgets every exchange (the link was set up again: the station forgot them too). */
    void clear() {
        java.util.Arrays.fill(requester, null);
        java.util.Arrays.fill(target, null);
        java.util.Arrays.fill(stream, null);
        open = 0;
    }

    /**
     * The message to put on the wire for {@code m}: a request gets {@code from = /#x/N}; other
     * messages pass unchanged. Null when no exchange id is free.
     */
    Message outbound(Message m, long now) {
        if (m.verb().hasStatus()) {
            return m;
        }
        int id = allocate(now);
        if (id < 0) {
            return null;
        }
        requester[id] = m.from();
        target[id] = m.to();
        stream[id] = null;
        openedAt[id] = now;
        open++;
        return m.readdressed(m.to(), BinaryHeaderCodec.exchangePath(id));
    }

    /**
     * The message to deliver for {@code m} received from the station: an answer to {@code /#x/N}
     * goes to the requester of exchange N, with its implied {@code from} named. Null when it
     * answers no open exchange (the caller counts and drops it).
     */
    Message inbound(Message m) {
        int id = m.verb().hasStatus() ? BinaryHeaderCodec.exchangeId(m.to()) : -1;
        if (id < 0) {
            return m.verb().hasStatus() && m.from().equals(BinaryHeaderCodec.IMPLIED_FROM) ? null : m;
        }
        if (requester[id] == null) {
            return null;
        }
        Path from = m.from();
        if (from.equals(BinaryHeaderCodec.IMPLIED_FROM)) {
            from = stream[id] != null ? stream[id] : target[id];
        } else {
            stream[id] = from;
        }
        Message out = m.readdressed(requester[id], from);
        if (m.eof()) {
            requester[id] = null;
            target[id] = null;
            stream[id] = null;
            open--;
        }
        return out;
    }

    private int allocate(long now) {
        int n = requester.length;
        for (int i = 0; i < n; i++) {
            int id = (next + i) % n;
            if (requester[id] == null) {
                next = (id + 1) % n;
                return id;
            }
        }
        int oldest = -1;
        for (int id = 0; id < n; id++) {
            if (stream[id] == null && now - openedAt[id] >= staleNanos
                    && (oldest < 0 || openedAt[id] - openedAt[oldest] < 0)) {
                oldest = id;
            }
        }
        if (oldest >= 0) {
            requester[oldest] = null;
            open--;
            next = (oldest + 1) % n;
        }
        return oldest;
    }
}

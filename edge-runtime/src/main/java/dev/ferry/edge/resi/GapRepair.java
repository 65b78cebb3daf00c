package dev.ferry.edge.resi;

import java.util.Arrays;

/**
 * Asks the peer for exactly the copies one transport lost, on that transport: the receive side's
 * half of repairing a corrupt or dropped copy without resending everything everywhere.
 *
 * <p>A copy is <em>lost</em> on transport t when a later sequence number already arrived on t:
 * on a stream transport (TCP delivers in order) at once; on a datagram transport (which may
 * reorder) when the later one had arrived by the previous check, a tick earlier. In strict mode a
 * copy is missing when t has not given one (the merge waits for every live transport); in
 * permissive mode when no transport has. Each check asks for at most {@value #PER_CHECK} and
 * looks at most {@value #SCAN} sequence numbers ahead; a number asked for is not asked for again
 * on that transport until {@code retryNanos} later (the sender may be holding it back under its
 * rate bound, or the request was lost). Requests go out through a {@link Sink}. Pure code with
 * times passed in; not thread-safe (guarded by the link's monitor).
 */
final class GapRepair {
    /** Where requests go: a RESEND of {@code seq} on transport {@code t} only. */
    interface Sink {
        void request(int t, long seq);
    }

    static final int PER_CHECK = 32;
    static final int SCAN = 512;

    private final boolean strict;
    private final long[] highest;
    private final long[] highestAtLastTick;
    private final long[] examinedUpTo;
    private final long[] roundStart;
    private final boolean[] roundOpen;

    GapRepair(boolean strict, int transports) {
        this.strict = strict;
        highest = new long[transports];
        highestAtLastTick = new long[transports];
        examinedUpTo = new long[transports];
        roundStart = new long[transports];
        roundOpen = new boolean[transports];
    }

    /** A good copy of {@code seq} arrived on {@code t}. */
    void seen(int t, long seq) {
        if (seq > highest[t]) {
            highest[t] = seq;
        }
    }

    /** Transport {@code t} (re)joined: what it carried before says nothing about what it lost now. */
    void forget(int t) {
        highest[t] = 0;
        highestAtLastTick[t] = 0;
        examinedUpTo[t] = 0;
        roundOpen[t] = false;
    }

    /** The peer started a new session: sequence numbers start over. */
    void reset() {
        Arrays.fill(highest, 0);
        Arrays.fill(highestAtLastTick, 0);
        Arrays.fill(examinedUpTo, 0);
        Arrays.fill(roundOpen, false);
    }

    /**
     * Asks for what {@code t} lost.
     *
     * @param stream true for a stream transport (in order), false for datagrams
     * @param tick   true at the link's tick (datagram transports are checked only then)
     */
    void check(int t, boolean stream, boolean tick, MergeWindow<?> merge, long now, long retryNanos, Sink sink) {
        long bound;
        if (stream) {
            bound = highest[t];
        } else if (tick) {
            bound = highestAtLastTick[t];
            highestAtLastTick[t] = highest[t];
        } else {
            return;
        }
        long delivered = merge.delivered();
        if (roundOpen[t] && now - roundStart[t] > retryNanos) {
            examinedUpTo[t] = delivered; // a new round: ask again for what is still missing
            roundOpen[t] = false;
        }
        long from = Math.max(examinedUpTo[t], delivered) + 1;
        long to = Math.min(Math.min(bound - 1, delivered + merge.capacity()), from + SCAN - 1);
        int asked = 0;
        long s = from;
        for (; s <= to && asked < PER_CHECK; s++) {
            if (strict ? !merge.hasCopy(s, t) : !merge.isHeld(s)) {
                sink.request(t, s);
                asked++;
            }
        }
        if (s > from) {
            examinedUpTo[t] = s - 1;
            if (asked > 0 && !roundOpen[t]) {
                roundOpen[t] = true;
                roundStart[t] = now;
            }
        }
    }
}

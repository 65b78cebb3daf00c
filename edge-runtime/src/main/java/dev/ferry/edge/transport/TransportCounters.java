package dev.ferry.edge.transport;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one transport carried, counted by {@link TransportBase} for every kind of transport:
 * envelopes and bytes handed to {@link Transport#send} and accepted, sends refused (not up, queue
 * full, too long), envelopes and bytes delivered to the receiver, garbage, and the times the
 * transport came up. Running totals, thread-safe, readable at any time.
 */
public final class TransportCounters {
    final LongAdder envelopesOut = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder envelopesIn = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder garbage = new LongAdder();
    final LongAdder ups = new LongAdder();

    /** Envelopes accepted by {@link Transport#send}. */
    public long envelopesOut() {
        return envelopesOut.sum();
    }

    /** Bytes of the envelopes accepted by {@link Transport#send} (framing not included). */
    public long bytesOut() {
        return bytesOut.sum();
    }

    /** Envelopes {@link Transport#send} refused. */
    public long refused() {
        return refused.sum();
    }

    /** Whole envelopes handed to the receiver. */
    public long envelopesIn() {
        return envelopesIn.sum();
    }

    /** Bytes of the envelopes handed to the receiver. */
    public long bytesIn() {
        return bytesIn.sum();
    }

    /** Framing errors reported (bytes that were not an envelope). */
    public long garbage() {
        return garbage.sum();
    }

    /** Times the transport reached {@link Transport.State#UP}. */
    public long ups() {
        return ups.sum();
    }
}

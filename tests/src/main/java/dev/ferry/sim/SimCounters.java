package dev.ferry.sim;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the simulator did to the traffic. All counters only grow; read them at any time.
 */
public final class SimCounters {
    /** Bytes taken from transmitters and put on the medium (one per transmitter per slot). */
    public final AtomicLong bytesSent = new AtomicLong();
    /** Bytes handed to receivers (one per receiver). */
    public final AtomicLong bytesDelivered = new AtomicLong();
    /** Data bits inverted by the bit-error injector. */
    public final AtomicLong flippedBits = new AtomicLong();
    /** Character slots dropped on purpose (no receiver got them). */
    public final AtomicLong droppedBytes = new AtomicLong();
    /** Character slots in which two or more nodes transmitted. */
    public final AtomicLong collisions = new AtomicLong();
    /** Bytes lost because a receiver's buffer was full or its port unplugged. */
    public final AtomicLong overruns = new AtomicLong();

    @Override
    public String toString() {
        return "sent=" + bytesSent + " delivered=" + bytesDelivered + " flippedBits=" + flippedBits
                + " dropped=" + droppedBytes + " collisions=" + collisions + " overruns=" + overruns;
    }
}

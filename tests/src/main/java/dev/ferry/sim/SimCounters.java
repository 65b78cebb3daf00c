package dev.ferry.sim;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the simulator did to the traffic, as of one moment: {@link LineSimulator#counters()}
 * returns a fresh snapshot each time (the counters only grow, so later snapshots are never
 * smaller). The fields are {@link AtomicLong}s so that callers read them as before
 * ({@code sim.counters().collisions.get()}).
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

    /**
     * Parses ferry-linesim's reply to {@code stats}:
     * {@code STATS sent=.. delivered=.. flipped=.. dropped=.. collisions=.. overruns=..}.
     *
     * @throws IllegalArgumentException if the line is not such a reply
     */
    static SimCounters parse(String line) {
        SimReply r = SimReply.parse(line, "STATS", 6);
        SimCounters c = new SimCounters();
        c.bytesSent.set(r.number("sent"));
        c.bytesDelivered.set(r.number("delivered"));
        c.flippedBits.set(r.number("flipped"));
        c.droppedBytes.set(r.number("dropped"));
        c.collisions.set(r.number("collisions"));
        c.overruns.set(r.number("overruns"));
        return c;
    }

    @Override
    public String toString() {
        return "sent=" + bytesSent + " delivered=" + bytesDelivered + " flippedBits=" + flippedBits
                + " dropped=" + droppedBytes + " collisions=" + collisions + " overruns=" + overruns;
    }
}

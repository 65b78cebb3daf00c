package dev.ferry.sim;

import java.util.HashMap;
import java.util.Map;
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
        String[] words = line.trim().split(" ");
        if (words.length != 7 || !words[0].equals("STATS")) {
            throw new IllegalArgumentException("not a STATS line: " + line);
        }
        Map<String, Long> values = new HashMap<>();
        for (int i = 1; i < words.length; i++) {
            int eq = words[i].indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("not a STATS line: " + line);
            }
            values.put(words[i].substring(0, eq), Long.parseLong(words[i].substring(eq + 1)));
        }
        SimCounters c = new SimCounters();
        c.bytesSent.set(get(values, "sent", line));
        c.bytesDelivered.set(get(values, "delivered", line));
        c.flippedBits.set(get(values, "flipped", line));
        c.droppedBytes.set(get(values, "dropped", line));
        c.collisions.set(get(values, "collisions", line));
        c.overruns.set(get(values, "overruns", line));
        return c;
    }

    private static long get(Map<String, Long> values, String key, String line) {
        Long v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no " + key + " in " + line);
        }
        return v;
    }

    @Override
    public String toString() {
        return "sent=" + bytesSent + " delivered=" + bytesDelivered + " flippedBits=" + flippedBits
                + " dropped=" + droppedBytes + " collisions=" + collisions + " overruns=" + overruns;
    }
}

package dev.ferry.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.tinylog.Logger;

/**
 * The wire: carries bytes between {@link SimPort}s one character slot at a time, at the baud
 * rate, with noise.
 *
 * <p>A lane is a set of nodes sharing one transmission medium. In each slot (10 bit times) every
 * node of the lane with a byte waiting since before the slot began puts one byte on the lane.
 * One transmitter: its byte reaches every other node of the lane. Two or more: the slot is a
 * collision, and the non-transmitting nodes receive a random byte (transceivers with receive
 * disabled while driving hear nothing). Then the byte may be dropped (probability
 * {@code dropProbability}) or have each of its 8 data bits inverted with probability
 * {@code bitErrorRate}. A byte is never delivered before its slot ends, so n bytes take n slots.
 *
 * <p>Delivery is batched as a UART's receive FIFO does it: each receiver gets the bytes of a
 * burst together when the burst ends (the lane goes quiet) or when {@value #CHUNK} have piled
 * up, whichever is first. Slots are still decided one by one (retroactively, from the time each
 * transmitter's queue became non-empty), so pacing, collisions and noise are unchanged; only the
 * number of wake-ups falls, from one per byte per receiver to about one per frame per receiver.
 * The thread sleeps until the end of the bytes already queued (at most {@value #CHUNK} slots) and
 * parks the last {@link #SPIN_NANOS} in a busy wait, so a burst is handed over on time rather
 * than a scheduler tick late.
 *
 * <p>Point-to-point (UART) is two lanes, one per direction, each with a single possible sender;
 * a bus (RS-485) is one lane holding the host and every device. One thread runs all lanes; all
 * random draws come from one seeded {@link Random} in slot order.
 */
final class Medium implements Runnable {

    private static final long IDLE_PARK_NANOS = 50_000_000L;
    /** Largest batch handed to a receiver at once (a 16550-style FIFO trigger level). */
    static final int CHUNK = 16;
    /** Final part of a wait spent spinning instead of parked (timer slack is about 50 us). */
    private static final long SPIN_NANOS = 80_000L;

    /** Nodes sharing one medium; {@code senders} may transmit, {@code members} may receive. */
    private static final class Lane {
        final List<SimPort> senders;
        final List<SimPort> members;
        final byte[][] pending;   // per member: carried, not yet delivered
        final int[] pendingLength;
        long base = -1; // start of slot 0, or -1 while idle
        long slot;
        long lastEnd;

        Lane(List<SimPort> senders, List<SimPort> members) {
            this.senders = senders;
            this.members = members;
            this.pending = new byte[members.size()][CHUNK];
            this.pendingLength = new int[members.size()];
        }
    }

    private final List<Lane> lanes = new ArrayList<>();
    private final int baud;
    private final double bitErrorRate;
    private final double dropProbability;
    private final Random random;
    private final SimCounters counters;
    private volatile boolean running = true;
    private volatile Thread thread;

    Medium(int baud, double bitErrorRate, double dropProbability, long seed, SimCounters counters) {
        if (baud <= 0 || bitErrorRate < 0 || bitErrorRate > 1 || dropProbability < 0 || dropProbability > 1) {
            throw new IllegalArgumentException("baud > 0 and probabilities in [0,1] required");
        }
        this.baud = baud;
        this.bitErrorRate = bitErrorRate;
        this.dropProbability = dropProbability;
        this.random = new Random(seed);
        this.counters = counters;
    }

    /** Add a lane; only before {@link #run()} starts. */
    void addLane(List<SimPort> senders, List<SimPort> members) {
        lanes.add(new Lane(List.copyOf(senders), List.copyOf(members)));
    }

    /** Start of slot {@code k} of a lane: exact, so pacing does not drift. */
    private long slotStart(Lane lane, long k) {
        return lane.base + k * 10L * 1_000_000_000L / baud;
    }

    /** Wake the medium: a node has new bytes. */
    void wake() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    void stop() {
        running = false;
        wake();
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        try {
            while (running) {
                long now = System.nanoTime();
                long wakeAt = now + IDLE_PARK_NANOS;
                for (Lane lane : lanes) {
                    wakeAt = Math.min(wakeAt, advance(lane, now));
                }
                long park = wakeAt - System.nanoTime();
                if (park > SPIN_NANOS) {
                    LockSupport.parkNanos(this, park - SPIN_NANOS);
                } else {
                    while (wakeAt - System.nanoTime() > 0 && !Thread.interrupted()) {
                        Thread.onSpinWait();
                    }
                }
            }
        } catch (RuntimeException e) {
            Logger.error(e, "line simulator medium failed");
        }
    }

    /** Carry every slot of the lane that has ended by {@code now}; returns when to look again. */
    private long advance(Lane lane, long now) {
        if (lane.base < 0) {
            long earliest = earliestWaiting(lane);
            if (earliest == Long.MAX_VALUE) {
                return Long.MAX_VALUE;
            }
            lane.base = Math.max(Math.max(earliest, lane.lastEnd), now - 1);
            lane.slot = 0;
        }
        while (true) {
            long start = slotStart(lane, lane.slot);
            long end = slotStart(lane, lane.slot + 1);
            List<SimPort> sending = waitingSince(lane, start);
            if (sending.isEmpty()) {
                if (earliestWaiting(lane) == Long.MAX_VALUE) {
                    lane.base = -1; // idle; the next byte starts a new slot grid
                    lane.lastEnd = start;
                    flush(lane);
                    return Long.MAX_VALUE;
                }
                lane.slot++; // a byte arrived during this slot: it starts in the next one
                continue;
            }
            if (end > now) {
                return slotStart(lane, lane.slot + Math.min(CHUNK, longestQueue(sending)));
            }
            carry(lane, sending);
            lane.slot++;
        }
    }

    private long earliestWaiting(Lane lane) {
        long earliest = Long.MAX_VALUE;
        for (SimPort p : lane.senders) {
            ByteQueue q = p.transmitQueue();
            if (q != null) {
                earliest = Math.min(earliest, q.since());
            }
        }
        return earliest;
    }

    private static int longestQueue(List<SimPort> sending) {
        int longest = 1;
        for (SimPort p : sending) {
            ByteQueue q = p.transmitQueue();
            if (q != null) {
                longest = Math.max(longest, q.size());
            }
        }
        return longest;
    }

    private static List<SimPort> waitingSince(Lane lane, long slotStart) {
        List<SimPort> sending = new ArrayList<>(2);
        for (SimPort p : lane.senders) {
            ByteQueue q = p.transmitQueue();
            if (q != null && q.since() <= slotStart) {
                sending.add(p);
            }
        }
        return sending;
    }

    private void carry(Lane lane, List<SimPort> sending) {
        int value = 0;
        for (SimPort p : sending) {
            ByteQueue q = p.transmitQueue();
            if (q != null && !q.isEmpty()) {
                value = q.take() & 0xFF;
                counters.bytesSent.incrementAndGet();
            }
        }
        if (sending.size() > 1) {
            counters.collisions.incrementAndGet();
            value = random.nextInt(256);
        }
        if (dropProbability > 0 && random.nextDouble() < dropProbability) {
            counters.droppedBytes.incrementAndGet();
            return;
        }
        if (bitErrorRate > 0) {
            for (int bit = 0; bit < 8; bit++) {
                if (random.nextDouble() < bitErrorRate) {
                    value ^= 1 << bit;
                    counters.flippedBits.incrementAndGet();
                }
            }
        }
        for (int i = 0; i < lane.members.size(); i++) {
            if (!sending.contains(lane.members.get(i))) {
                lane.pending[i][lane.pendingLength[i]++] = (byte) value;
                if (lane.pendingLength[i] == CHUNK) {
                    deliver(lane, i);
                }
            }
        }
    }

    private static void flush(Lane lane) {
        for (int i = 0; i < lane.members.size(); i++) {
            if (lane.pendingLength[i] > 0) {
                deliver(lane, i);
            }
        }
    }

    private static void deliver(Lane lane, int member) {
        lane.members.get(member).receive(lane.pending[member], lane.pendingLength[member]);
        lane.pendingLength[member] = 0;
    }
}

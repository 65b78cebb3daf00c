package dev.ferry.bench;

import dev.ferry.edge.config.PeerConfig;
import io.netty.channel.EventLoopGroup;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The failover part of {@link ResiBench}: one stream A → B at 10,000 msg/s over two TCP
 * transports, transport 1 relayed; {@code faults} times, the relay black-holes it, and after a
 * window it is healed (reconnect, handshake, rejoin). Every delivery is time-stamped at B.
 *
 * <p>For each fault it compares the largest gap between consecutive deliveries in the window
 * that starts at the fault with the largest gap in an equally long fault-free window just before
 * it (all transports live), so scheduling noise on a loaded machine shows as a large fault-free
 * gap instead of passing for failover cost. Prints per-fault pairs and their medians, messages
 * lost and whether delivery stayed in order.
 */
final class ResiFailoverBench {
    private static final long PERIOD_NANOS = 100_000; // 10,000 msg/s

    private ResiFailoverBench() { }

    /** Result of one mode: median of the per-fault largest gaps, in ms. */
    record Result(double faultGapMs, double quietGapMs, double worstFaultGapMs, long lost, boolean inOrder) { }

    static Result run(EventLoopGroup group, PeerConfig.Mode mode, int faults) throws Exception {
        long windowNanos = TimeUnit.MILLISECONDS.toNanos(4L * ResiBenchPair.PING_MS + 100);
        long settleNanos = TimeUnit.MILLISECONDS.toNanos(300);
        int perCycle = (int) ((settleNanos + 2 * windowNanos) / PERIOD_NANOS) + 10_000; // generous bound
        int n = faults * perCycle;
        long[] at = new long[n];
        AtomicInteger got = new AtomicInteger();
        boolean[] inOrder = {true};
        long[] faultAt = new long[faults];
        int sent = 0;
        try (ResiBenchPair p = new ResiBenchPair(group, mode, true, (l, m) -> {
            long now = System.nanoTime();
            int i = (int) ByteBuffer.wrap(m.body()).getLong();
            if (i != got.get()) {
                inOrder[0] = false;
            }
            at[i] = now;
            got.incrementAndGet(); // listener calls are serialised: one writer
        })) {
            for (int f = 0; f < faults; f++) {
                // settle, a fault-free window, then the fault and its window; heal; wait for rejoin
                sent = streamUntil(p, System.nanoTime() + settleNanos + windowNanos, sent, n);
                faultAt[f] = System.nanoTime();
                p.relay.blackHole();
                sent = streamUntil(p, faultAt[f] + windowNanos, sent, n);
                p.relay.heal();
                while (!p.awaitAllLive(0)) {
                    sent = streamUntil(p, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20), sent, n);
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (got.get() < sent && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000);
            }
            int delivered = got.get();
            double[] faultGaps = new double[faults];
            double[] quietGaps = new double[faults];
            for (int f = 0; f < faults; f++) {
                faultGaps[f] = largestGap(at, delivered, faultAt[f], faultAt[f] + windowNanos);
                quietGaps[f] = largestGap(at, delivered, faultAt[f] - windowNanos, faultAt[f]);
            }
            System.out.printf("  failover %s per fault (largest gap after the fault / in the fault-free window before), ms:",
                    mode.name().toLowerCase());
            for (int f = 0; f < faults; f++) {
                System.out.printf(" %.1f/%.1f", faultGaps[f], quietGaps[f]);
            }
            System.out.println();
            double worst = Arrays.stream(faultGaps).max().orElse(Double.NaN);
            return new Result(median(faultGaps), median(quietGaps), worst, sent - delivered, inOrder[0]);
        }
    }

    /** Sends messages paced at 10,000 msg/s until {@code until} (at most {@code cap} in all); returns the count. */
    private static int streamUntil(ResiBenchPair p, long until, int sent, int cap) throws InterruptedException {
        long t0 = System.nanoTime();
        int i = sent;
        for (long k = 0; i < cap; k++) {
            long due = t0 + k * PERIOD_NANOS;
            if (due >= until) {
                break;
            }
            ResiBench.sleepUntil(due);
            p.send(ResiBenchPair.message(i++, 0));
        }
        return i;
    }

    /** Largest gap between consecutive deliveries that ends in [from, to), ms. */
    static double largestGap(long[] at, int n, long from, long to) {
        long prev = 0;
        long max = 0;
        for (int i = 0; i < n; i++) {
            long t = at[i];
            if (t >= from && t < to) {
                if (prev != 0) {
                    max = Math.max(max, t - prev);
                }
                prev = t;
            } else if (t < from) {
                prev = t; // the gap that straddles the window start counts too
            }
        }
        return max / 1e6;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}

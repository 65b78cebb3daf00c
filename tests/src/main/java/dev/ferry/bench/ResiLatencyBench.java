package dev.ferry.bench;

import dev.ferry.edge.config.PeerConfig;
import dev.ferry.rp.Message;
import io.netty.channel.EventLoopGroup;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The latency part of {@link ResiBench}: small messages A → B paced at 10,000 msg/s for
 * {@link #SECONDS} s, one-way latency (send call to hand-over at B, one clock) of every message
 * after the first {@link #WARM_UP_SECONDS} s. Plain TCP (the same transport, one connection),
 * permissive and strict run one after the other in each of {@code rounds} rounds, so the plain
 * baseline shows what the machine itself adds (scheduling, wake-ups) at this rate. Prints each
 * run and the medians over the rounds.
 */
final class ResiLatencyBench {
    static final int RATE = 10_000;
    static final int SECONDS = 6;
    static final int WARM_UP_SECONDS = 2;

    private ResiLatencyBench() { }

    /** One run's percentiles, in microseconds. */
    record Result(double p50, double p99, double p999, double max) { }

    static void run(EventLoopGroup group, int rounds) throws Exception {
        String[] names = {"plain TCP", "permissive", "strict"};
        double[][] p50 = new double[3][rounds];
        double[][] p99 = new double[3][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < 3; k++) {
                Result res = k == 0 ? plain(group) : resi(group, k == 1 ? PeerConfig.Mode.PERMISSIVE
                        : PeerConfig.Mode.STRICT);
                p50[k][r] = res.p50();
                p99[k][r] = res.p99();
                System.out.printf("  latency round %d, %s at %,d msg/s: p50 %.1f us, p99 %.1f us, p99.9 %.1f us,"
                        + " max %.1f us%n", r + 1, names[k], RATE, res.p50(), res.p99(), res.p999(), res.max());
            }
        }
        System.out.printf("latency at %,d msg/s, median of %d rounds: plain TCP p50 %.1f / p99 %.1f us;"
                + " permissive p50 %.1f / p99 %.1f us; strict p50 %.1f / p99 %.1f us (goal p99 < 2000 us)%n",
                RATE, rounds, ResiBench.median(p50[0]), ResiBench.median(p99[0]), ResiBench.median(p50[1]),
                ResiBench.median(p99[1]), ResiBench.median(p50[2]), ResiBench.median(p99[2]));
    }

    private static Result plain(EventLoopGroup group) throws Exception {
        Recorder rec = new Recorder();
        try (PlainTcpPair p = new PlainTcpPair(group, rec)) {
            return rec.pace(p::send);
        }
    }

    private static Result resi(EventLoopGroup group, PeerConfig.Mode mode) throws Exception {
        Recorder rec = new Recorder();
        try (ResiBenchPair p = new ResiBenchPair(group, mode, false, (l, m) -> rec.accept(m))) {
            return rec.pace(m -> {
                try {
                    p.send(m);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    /** Sends paced, numbered, time-stamped messages and records their latency where they arrive. */
    private static final class Recorder implements Consumer<Message> {
        private final int n = RATE * SECONDS;
        private final long[] latency = new long[n];
        private final AtomicInteger got = new AtomicInteger();
        private final CountDownLatch done = new CountDownLatch(1);

        @Override
        public void accept(Message m) {
            ByteBuffer bb = ByteBuffer.wrap(m.body());
            int i = (int) bb.getLong();
            latency[i] = System.nanoTime() - bb.getLong();
            if (got.incrementAndGet() == n) {
                done.countDown();
            }
        }

        Result pace(Consumer<Message> send) throws InterruptedException {
            long period = 1_000_000_000L / RATE;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                ResiBench.sleepUntil(t0 + i * period);
                send.accept(ResiBenchPair.message(i, System.nanoTime()));
            }
            if (!done.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latency: only " + got.get() + " of " + n + " arrived");
            }
            BenchSamples s = new BenchSamples(n);
            for (int i = RATE * WARM_UP_SECONDS; i < n; i++) {
                s.add(latency[i]);
            }
            return new Result(s.percentileMs(50) * 1e3, s.percentileMs(99) * 1e3, s.percentileMs(99.9) * 1e3,
                    s.percentileMs(100) * 1e3);
        }
    }
}

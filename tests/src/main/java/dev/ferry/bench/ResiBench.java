package dev.ferry.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.ferry.edge.config.PeerConfig;
import dev.ferry.edge.transport.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * RESI benchmark (not a test; figures only). Small RP messages A → B on 127.0.0.1:
 * <ol>
 *   <li>throughput over 2 TCP transports, permissive and strict, as a ratio to one plain TCP
 *       connection carrying the same envelopes ({@link PlainTcpPair}), measured side by side in
 *       each of {@code --rounds} rounds; medians printed, with process CPU time per message;</li>
 *   <li>latency at a paced 10,000 msg/s ({@link ResiLatencyBench}), plain TCP beside both modes,
 *       in each of {@code --latency-rounds} rounds;</li>
 *   <li>failover ({@link ResiFailoverBench}): delivery gaps around {@code --faults} black-holings
 *       of one transport against fault-free windows of the same run; lost; in order;</li>
 *   <li>TLS ({@link TlsBench}): the permissive link over TLS 1.3 beside the same link over plain
 *       TCP in each round, and {@code --handshakes} connection set-ups with and without TLS.</li>
 * </ol>
 * Senders wait (park) instead of spinning, in the baseline as in RESI: on 2 cores a spinning
 * producer takes the CPU the event loops need. Run:
 * {@code java -cp ... dev.ferry.bench.ResiBench [--messages 200000] [--rounds 5] [--faults 5]
 * [--latency-rounds 3] [--handshakes 200] [--only throughput|latency|failover|tls]}.
 */
public final class ResiBench {
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ResiBench() { }

    public static void main(String[] args) throws Exception {
        BenchSamples.quietLogs();
        Map<String, String> a = BenchSamples.args(args);
        int n = BenchSamples.intArg(a, "messages", 200_000);
        int rounds = BenchSamples.intArg(a, "rounds", 5);
        int faults = BenchSamples.intArg(a, "faults", 5);
        String only = a.getOrDefault("only", "all");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(4, NioIoHandler.newFactory());
        try {
            if (only.equals("all") || only.equals("throughput")) {
                throughput(group, n, rounds);
            }
            if (only.equals("all") || only.equals("latency")) {
                ResiLatencyBench.run(group, BenchSamples.intArg(a, "latency-rounds", 3));
            }
            if (only.equals("all") || only.equals("tls")) {
                TlsBench.run(group, n, rounds, BenchSamples.intArg(a, "handshakes", 200));
            }
            if (only.equals("all") || only.equals("failover")) {
                for (PeerConfig.Mode m : PeerConfig.Mode.values()) {
                    ResiFailoverBench.Result r = ResiFailoverBench.run(group, m, faults);
                    System.out.printf("failover %s (ping %d ms, dead after 3), median over %d faults: largest gap after"
                            + " the fault %.1f ms, in the fault-free window before it %.1f ms (worst after a fault"
                            + " %.1f ms); lost %d, in order %s%n", m.name().toLowerCase(), ResiBenchPair.PING_MS,
                            faults, r.faultGapMs(), r.quietGapMs(), r.worstFaultGapMs(), r.lost(), r.inOrder());
                }
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        System.exit(0);
    }

    /** One timed run: messages per second and process CPU microseconds per message. */
    record Run(double rate, double cpuMicros) { }

    static void throughput(EventLoopGroup group, int n, int rounds) throws Exception {
        for (int warm = 0; warm < 2; warm++) {
            plainTcp(group, n / 2);
            resi(group, PeerConfig.Mode.PERMISSIVE, n / 2);
            resi(group, PeerConfig.Mode.STRICT, n / 2);
        }
        double[][] rate = new double[3][rounds];
        double[][] cpu = new double[3][rounds];
        double[][] ratio = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
            Run[] runs = {plainTcp(group, n), resi(group, PeerConfig.Mode.PERMISSIVE, n),
                    resi(group, PeerConfig.Mode.STRICT, n)};
            for (int k = 0; k < 3; k++) {
                rate[k][r] = runs[k].rate();
                cpu[k][r] = runs[k].cpuMicros();
            }
            ratio[0][r] = runs[1].rate() / runs[0].rate();
            ratio[1][r] = runs[2].rate() / runs[0].rate();
            System.out.printf("  round %d: plain %.0f msg/s (%.2f us CPU/msg), permissive %.0f (%.2f), strict %.0f (%.2f)%n",
                    r + 1, runs[0].rate(), runs[0].cpuMicros(), runs[1].rate(), runs[1].cpuMicros(), runs[2].rate(),
                    runs[2].cpuMicros());
        }
        System.out.printf("throughput, median of %d rounds: plain TCP %.0f msg/s (%.2f us CPU/msg); permissive %.0f msg/s"
                + " (%.2f us), ratio %.2f (goal >= 0.7); strict %.0f msg/s (%.2f us), ratio %.2f (goal >= 0.5)%n",
                rounds, median(rate[0]), median(cpu[0]), median(rate[1]), median(cpu[1]), median(ratio[0]),
                median(rate[2]), median(cpu[2]), median(ratio[1]));
    }

    static double median(double[] v) {
        return ResiFailoverBench.median(v);
    }

    /** Parks (never spins) until System.nanoTime() reaches {@code due}. */
    static void sleepUntil(long due) {
        long left;
        while ((left = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    static Run plainTcp(EventLoopGroup group, int n) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong got = new AtomicLong();
        try (PlainTcpPair p = new PlainTcpPair(group, m -> {
            if (got.incrementAndGet() == n) {
                done.countDown();
            }
        })) {
            long t0 = System.nanoTime();
            long c0 = OS.getProcessCpuTime();
            for (long i = 0; i < n; i++) {
                p.send(ResiBenchPair.message(i, 0));
            }
            if (!done.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("plain TCP: only " + got.get() + " of " + n);
            }
            return new Run(n / ((System.nanoTime() - t0) / 1e9), (OS.getProcessCpuTime() - c0) / 1e3 / n);
        }
    }

    static Run resi(EventLoopGroup group, PeerConfig.Mode mode, int n) throws Exception {
        return resi(group, mode, n, false);
    }

    /** As {@link #resi(EventLoopGroup, PeerConfig.Mode, int)}, over TLS 1.3 when {@code tls}. */
    static Run resi(EventLoopGroup group, PeerConfig.Mode mode, int n, boolean tls) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong got = new AtomicLong();
        try (ResiBenchPair p = new ResiBenchPair(group, mode, false, tls, (l, m) -> {
            if (got.incrementAndGet() == n) {
                done.countDown();
            }
        })) {
            long t0 = System.nanoTime();
            long c0 = OS.getProcessCpuTime();
            for (long i = 0; i < n; i++) {
                p.send(ResiBenchPair.message(i, 0));
            }
            if (!done.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException(mode + (tls ? " over TLS" : "") + ": only " + got.get() + " of " + n);
            }
            return new Run(n / ((System.nanoTime() - t0) / 1e9), (OS.getProcessCpuTime() - c0) / 1e3 / n);
        }
    }

    /** Transport state callbacks that count UP events. */
    static class Receiver implements Transport.Receiver {
        private final CountDownLatch up;

        Receiver(CountDownLatch up) {
            this.up = up;
        }

        @Override
        public void onEnvelope(Transport t, byte[] envelope) { }

        @Override
        public void onState(Transport t, Transport.State s, String reason) {
            if (s == Transport.State.UP) {
                up.countDown();
            }
        }

        @Override
        public void onGarbage(Transport t, String reason) { }
    }
}

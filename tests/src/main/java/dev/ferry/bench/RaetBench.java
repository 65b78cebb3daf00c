package dev.ferry.bench;

import dev.ferry.edge.config.SecurityConfig;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.raet.Crypto;
import dev.ferry.edge.raet.RaetCounters;
import dev.ferry.edge.raet.RaetKeys;
import dev.ferry.edge.raet.RaetOptions;
import dev.ferry.edge.raet.RaetTransport;
import dev.ferry.edge.transport.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.KeyPair;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * RAET benchmark (figures only, not a test), on 127.0.0.1 with two event-loop threads:
 * <ol>
 *   <li>kind C goodput for 1 KiB and 64 KiB messages, open and encrypted, and their ratio: open and
 *       encrypted runs interleaved, medians of the repeats; also process CPU time per delivered
 *       byte, whose ratio hardly depends on load from other processes;</li>
 *   <li>small-message (64 B) rate, open;</li>
 *   <li>recovery: time to complete one 1 MiB transfer through a relay losing 0%, 1%, 10% of
 *       datagrams (encrypted).</li>
 * </ol>
 * Run: {@code java -cp tests/target/classes:$(cat tests/target/cp.txt) dev.ferry.bench.RaetBench [seconds [repeats]]}
 * (defaults 2 s per run, 5 repeats).
 */
public final class RaetBench {
    private static final KeyPair KA = Crypto.newEd25519();
    private static final KeyPair KB = Crypto.newEd25519();

    private RaetBench() { }

    public static void main(String[] args) throws Exception {
        BenchSamples.quietLogs();
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            goodput(group, SecurityConfig.Mode.OPEN, 65536, seconds / 2); // warm-up (JIT)
            goodput(group, SecurityConfig.Mode.ENCRYPTED, 65536, seconds / 2);
            for (int size : new int[] {1024, 65536}) {
                compare(group, size, seconds, repeats);
            }
            double[] rates = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                rates[i] = goodput(group, SecurityConfig.Mode.OPEN, 64, seconds).bytesPerSecond() / 64;
            }
            System.out.printf("small messages (64 B, kind C, open): median %.0f msg/s of %d runs (goal >= 50,000 on 2 cores)%n",
                    median(rates), repeats);
            for (double loss : new double[] {0, 0.01, 0.10}) {
                long[] ms = new long[3];
                for (int i = 0; i < ms.length; i++) {
                    ms[i] = recovery(group, loss, 7 + i);
                }
                java.util.Arrays.sort(ms);
                System.out.printf("1 MiB transfer at %.0f%% loss (encrypted): median %d ms (runs %s)%n", loss * 100, ms[1],
                        java.util.Arrays.toString(ms));
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * Open and encrypted runs interleaved (open first on even repeats, encrypted first on odd ones)
     * so that load from elsewhere hits both sides alike; prints medians and the encrypted/open
     * ratio of goodput, and of process CPU time per delivered byte (the load-robust view).
     */
    private static void compare(EventLoopGroup group, int size, double seconds, int repeats) throws Exception {
        Run[] open = new Run[repeats];
        Run[] enc = new Run[repeats];
        for (int i = 0; i < repeats; i++) {
            boolean openFirst = i % 2 == 0;
            Run first = goodput(group, openFirst ? SecurityConfig.Mode.OPEN : SecurityConfig.Mode.ENCRYPTED, size, seconds);
            Run second = goodput(group, openFirst ? SecurityConfig.Mode.ENCRYPTED : SecurityConfig.Mode.OPEN, size, seconds);
            open[i] = openFirst ? first : second;
            enc[i] = openFirst ? second : first;
        }
        double go = median(open, Run::bytesPerSecond);
        double ge = median(enc, Run::bytesPerSecond);
        double co = median(open, Run::cpuNanosPerByte);
        double ce = median(enc, Run::cpuNanosPerByte);
        double[] pair = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            pair[i] = enc[i].bytesPerSecond() / open[i].bytesPerSecond();
        }
        System.out.printf("kind C %d B messages, median of %d interleaved runs: open %.1f MB/s, encrypted %.1f MB/s,"
                + " ratio %.2f (goal >= 0.6; median of per-pair ratios %.2f)%n", size, repeats, go / 1e6, ge / 1e6, ge / go,
                median(pair));
        System.out.printf("    CPU per delivered byte: open %.1f ns, encrypted %.1f ns, ratio open/encrypted %.2f;"
                + " retransmits open %d, encrypted %d; statuses per data packet open %.2f, encrypted %.2f%n", co, ce, co / ce,
                total(open), total(enc), median(open, Run::statusPerPacket), median(enc, Run::statusPerPacket));
        double aead = aeadNanosPerByte(RaetOptions.defaults().segmentBytes());
        System.out.printf("    JDK ChaCha20-Poly1305 alone (seal + open, %d B segments, 150 B AAD): %.1f ns/B;"
                + " CPU ratio if encryption cost only that: %.2f%n", RaetOptions.defaults().segmentBytes(), aead,
                co / (co + aead));
    }

    /**
     * Thread CPU nanoseconds per body byte to seal and then open one segment with the JDK's
     * ChaCha20-Poly1305 (fresh nonce per packet, as RAET does): the floor of what encryption adds.
     */
    static double aeadNanosPerByte(int segment) throws Exception {
        java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
        javax.crypto.spec.SecretKeySpec key = new javax.crypto.spec.SecretKeySpec(new byte[32], "ChaCha20");
        javax.crypto.Cipher enc = javax.crypto.Cipher.getInstance("ChaCha20-Poly1305");
        javax.crypto.Cipher dec = javax.crypto.Cipher.getInstance("ChaCha20-Poly1305");
        byte[] aad = new byte[150];
        byte[] plain = new byte[segment];
        byte[] sealed = new byte[segment + 16];
        long bytes = 0;
        long cpu = 0;
        for (long n = 1; n < 40_000; n++) {
            if (n == 10_000) { // warm-up done
                bytes = 0;
                cpu = tm.getCurrentThreadCpuTime();
            }
            byte[] nonce = java.nio.ByteBuffer.allocate(12).putInt(0).putLong(n).array();
            enc.init(javax.crypto.Cipher.ENCRYPT_MODE, key, new javax.crypto.spec.IvParameterSpec(nonce));
            enc.updateAAD(aad);
            enc.doFinal(plain, 0, segment, sealed, 0);
            dec.init(javax.crypto.Cipher.DECRYPT_MODE, key, new javax.crypto.spec.IvParameterSpec(nonce));
            dec.updateAAD(aad);
            dec.doFinal(sealed, 0, sealed.length, plain, 0);
            bytes += segment;
        }
        return (tm.getCurrentThreadCpuTime() - cpu) / (double) bytes;
    }

    /**
     * One goodput run: delivered bytes per second, process CPU nanoseconds per delivered byte,
     * retransmits, and packets the receiver sent (statuses) per packet the sender sent.
     */
    record Run(double bytesPerSecond, double cpuNanosPerByte, long retransmits, double statusPerPacket) { }

    private static double median(Run[] runs, java.util.function.ToDoubleFunction<Run> f) {
        double[] v = new double[runs.length];
        for (int i = 0; i < runs.length; i++) {
            v[i] = f.applyAsDouble(runs[i]);
        }
        return median(v);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static long total(Run[] runs) {
        long n = 0;
        for (Run r : runs) {
            n += r.retransmits();
        }
        return n;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static RaetKeys keys(SecurityConfig.Mode mode, KeyPair me, KeyPair peer) {
        return mode == SecurityConfig.Mode.OPEN ? RaetKeys.open() : RaetKeys.of(mode, me, List.of(peer.getPublic()));
    }

    /** A pair of transports; B receives and counts bytes. */
    private static final class Pair implements AutoCloseable {
        final RaetTransport a;
        final RaetTransport b;
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong messages = new AtomicLong();
        final Relay relay;

        Pair(EventLoopGroup group, SecurityConfig.Mode mode, double loss) throws Exception {
            Metrics m = new Metrics();
            InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
            CountDownLatch up = new CountDownLatch(2);
            b = new RaetTransport(0, null, any, group, keys(mode, KB, KA), RaetOptions.defaults(), new RaetCounters(m, "b"),
                    32L << 20, 4 << 20);
            b.setReceiver(new ResiBench.Receiver(up) {
                @Override
                public void onEnvelope(Transport t, byte[] e) {
                    bytes.addAndGet(e.length);
                    messages.incrementAndGet();
                }
            });
            b.start();
            relay = loss < 0 ? null : new Relay(b.localAddress().orElseThrow(), loss);
            InetSocketAddress target = relay == null ? b.localAddress().orElseThrow() : relay.address();
            a = new RaetTransport(0, target, any, group, keys(mode, KA, KB), RaetOptions.defaults(), new RaetCounters(m, "a"),
                    32L << 20, 4 << 20);
            a.setReceiver(new ResiBench.Receiver(up));
            a.start();
            if (!up.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no session");
            }
        }

        /** Blocks while the transport's queue (32 MiB, tens of milliseconds of data) is full. */
        void send(byte[] msg) {
            while (!a.send(msg)) {
                LockSupport.parkNanos(500_000); // rarely: polling faster only burns CPU both modes need
            }
        }

        @Override
        public void close() {
            a.stop();
            b.stop();
            if (relay != null) {
                relay.close();
            }
        }
    }

    /** Sends {@code size}-byte messages for about {@code seconds} and waits until all are delivered. */
    static Run goodput(EventLoopGroup group, SecurityConfig.Mode mode, int size, double seconds) throws Exception {
        try (Pair p = new Pair(group, mode, -1)) {
            byte[] msg = new byte[size];
            new Random(1).nextBytes(msg);
            long cpu = processCpuNanos();
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long sent = 0;
            while (System.nanoTime() < end) {
                p.send(msg);
                sent++;
            }
            long target = sent;
            while (p.messages.get() < target) {
                LockSupport.parkNanos(100_000);
            }
            double wall = (System.nanoTime() - start) / 1e9;
            double bytes = p.bytes.get();
            return new Run(bytes / wall, (processCpuNanos() - cpu) / bytes, p.a.counters().retransmits(),
                    p.b.counters().sentPackets() / (double) p.a.counters().sentPackets());
        }
    }

    /** Milliseconds until one 1 MiB message is delivered through a relay dropping {@code loss}. */
    static long recovery(EventLoopGroup group, double loss, long seed) throws Exception {
        try (Pair p = new Pair(group, SecurityConfig.Mode.ENCRYPTED, loss)) {
            byte[] msg = new byte[1 << 20];
            new Random(seed).nextBytes(msg);
            long start = System.nanoTime();
            p.send(msg);
            while (p.messages.get() < 1) {
                LockSupport.parkNanos(100_000);
            }
            return (System.nanoTime() - start) / 1_000_000;
        }
    }

    /** A loopback UDP relay dropping a fraction of datagrams both ways (seeded). */
    private static final class Relay implements AutoCloseable {
        private final DatagramSocket front;
        private final DatagramSocket back;
        private final InetSocketAddress target;
        private final double loss;
        private volatile SocketAddress client;
        private volatile boolean closed;

        Relay(InetSocketAddress target, double loss) throws IOException {
            this.target = target;
            this.loss = loss;
            front = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            back = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            front.setReceiveBufferSize(4 << 20);
            back.setReceiveBufferSize(4 << 20);
            pump(front, true, new Random(1));
            pump(back, false, new Random(2));
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), front.getLocalPort());
        }

        private void pump(DatagramSocket s, boolean fromClient, Random r) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[65536];
                while (!closed) {
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        s.receive(p);
                        if (fromClient) {
                            client = p.getSocketAddress();
                        }
                        SocketAddress to = fromClient ? target : client;
                        if (to != null && r.nextDouble() >= loss) {
                            (fromClient ? back : front).send(new DatagramPacket(p.getData(), p.getLength(), to));
                        }
                    } catch (IOException e) {
                        if (closed) {
                            return;
                        }
                    }
                }
            }, "bench-relay");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() {
            closed = true;
            front.close();
            back.close();
        }
    }
}

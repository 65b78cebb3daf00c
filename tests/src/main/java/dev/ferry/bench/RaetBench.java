package dev.ferry.bench;

import dev.ferry.edge.config.SecurityConfig;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.raet.AeadSuite;
import dev.ferry.edge.raet.AesHardware;
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
 *   <li>kind C goodput for 1 KiB and 64 KiB messages, open and encrypted under each chosen AEAD
 *       suite, and the ratios encrypted/open: the runs interleaved (order rotated every repeat),
 *       medians of the repeats; also process CPU time per delivered byte, whose ratio hardly
 *       depends on load from other processes, and the cost of the suite's cipher alone;</li>
 *   <li>small-message (64 B) rate, open;</li>
 *   <li>recovery: time to complete one 1 MiB transfer through a relay losing 0%, 1%, 10% of
 *       datagrams (encrypted).</li>
 * </ol>
 * Run: {@code java -cp tests/target/classes:$(cat tests/target/cp.txt) dev.ferry.bench.RaetBench
 * [seconds [repeats]] [--cipher aes-256-gcm|chacha20-poly1305|both]} (defaults 2 s per run, 5
 * repeats, both). Each encrypted run checks that the session negotiated the suite asked for.
 */
public final class RaetBench {
    private static final KeyPair KA = Crypto.newEd25519();
    private static final KeyPair KB = Crypto.newEd25519();

    private RaetBench() { }

    public static void main(String[] args) throws Exception {
        BenchSamples.quietLogs();
        List<String> pos = new java.util.ArrayList<>();
        List<AeadSuite> suites = List.of(AeadSuite.AES_256_GCM, AeadSuite.CHACHA20_POLY1305);
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--cipher") && i + 1 < args.length) {
                String c = args[++i];
                suites = c.equals("both") ? suites : List.of(AeadSuite.valueOf(c.toUpperCase(java.util.Locale.ROOT)
                        .replace('-', '_')));
            } else {
                pos.add(args[i]);
            }
        }
        double seconds = pos.size() > 0 ? Double.parseDouble(pos.get(0)) : 2;
        int repeats = pos.size() > 1 ? Integer.parseInt(pos.get(1)) : 5;
        System.out.printf("JDK %s, %s %s, AES hardware (cpuinfo): %s, loadavg %s%n", System.getProperty("java.version"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors() + " CPUs", AesHardware.here(),
                loadavg());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            goodput(group, null, 65536, seconds / 2); // warm-up (JIT)
            for (AeadSuite s : suites) {
                goodput(group, s, 65536, seconds / 2);
            }
            for (int size : new int[] {1024, 65536}) {
                compare(group, size, seconds, repeats, suites);
            }
            double[] rates = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                rates[i] = goodput(group, null, 64, seconds).bytesPerSecond() / 64;
            }
            System.out.printf("small messages (64 B, kind C, open): median %.0f msg/s of %d runs (goal >= 50,000 on 2 cores)%n",
                    median(rates), repeats);
            for (double loss : new double[] {0, 0.01, 0.10}) {
                long[] ms = new long[3];
                for (int i = 0; i < ms.length; i++) {
                    ms[i] = recovery(group, suites.get(0), loss, 7 + i);
                }
                java.util.Arrays.sort(ms);
                System.out.printf("1 MiB transfer at %.0f%% loss (encrypted, %s): median %d ms (runs %s)%n", loss * 100,
                        suites.get(0).label(), ms[1], java.util.Arrays.toString(ms));
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * Open and each suite's encrypted runs interleaved (the order rotated every repeat) so that load
     * from elsewhere hits all alike; prints medians and, per suite, the encrypted/open ratio of
     * goodput and of process CPU time per delivered byte (the load-robust view).
     */
    private static void compare(EventLoopGroup group, int size, double seconds, int repeats, List<AeadSuite> suites)
            throws Exception {
        List<AeadSuite> variants = new java.util.ArrayList<>();
        variants.add(null);
        variants.addAll(suites);
        Run[][] runs = new Run[variants.size()][repeats];
        for (int i = 0; i < repeats; i++) {
            for (int k = 0; k < variants.size(); k++) {
                int v = (i + k) % variants.size();
                runs[v][i] = goodput(group, variants.get(v), size, seconds);
            }
        }
        Run[] open = runs[0];
        double go = median(open, Run::bytesPerSecond);
        double co = median(open, Run::cpuNanosPerByte);
        System.out.printf("kind C %d B messages, median of %d interleaved runs (loadavg now %s): open %.1f MB/s,"
                + " %.1f ns CPU/B, retransmits %d, statuses per data packet %.2f%n", size, repeats, loadavg(), go / 1e6,
                co, total(open), median(open, Run::statusPerPacket));
        for (int v = 1; v < variants.size(); v++) {
            Run[] enc = runs[v];
            double ge = median(enc, Run::bytesPerSecond);
            double ce = median(enc, Run::cpuNanosPerByte);
            double[] pair = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                pair[i] = enc[i].bytesPerSecond() / open[i].bytesPerSecond();
            }
            double aead = aeadNanosPerByte(variants.get(v), RaetOptions.defaults().segmentBytes());
            System.out.printf("    encrypted %-17s %.1f MB/s, ratio %.2f (goal >= 0.6; median of per-repeat ratios %.2f);"
                    + " CPU %.1f ns/B, CPU ratio open/encrypted %.2f; retransmits %d, statuses/packet %.2f;"
                    + " cipher alone (seal + open, %d B segments) %.2f ns/B%n", enc[0].protection(), ge / 1e6, ge / go,
                    median(pair), ce, co / ce, total(enc), median(enc, Run::statusPerPacket),
                    RaetOptions.defaults().segmentBytes(), aead);
        }
    }

    private static String loadavg() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * Thread CPU nanoseconds per body byte to seal and then open one segment with the suite's JDK
     * cipher (fresh nonce per packet, 150 B of AAD, as RAET does): the floor of what encryption adds.
     */
    static double aeadNanosPerByte(AeadSuite suite, int segment) throws Exception {
        java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
        javax.crypto.spec.SecretKeySpec key = suite.key(new byte[32]);
        javax.crypto.Cipher enc = suite.cipher();
        javax.crypto.Cipher dec = suite.cipher();
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
            enc.init(javax.crypto.Cipher.ENCRYPT_MODE, key, suite.params(n));
            enc.updateAAD(aad);
            enc.doFinal(plain, 0, segment, sealed, 0);
            dec.init(javax.crypto.Cipher.DECRYPT_MODE, key, suite.params(n));
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
    record Run(double bytesPerSecond, double cpuNanosPerByte, long retransmits, double statusPerPacket, String protection) { }

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

    /** Open keys for {@code suite} null, else encrypted keys allowing only {@code suite}. */
    private static RaetKeys keys(AeadSuite suite, KeyPair me, KeyPair peer) {
        return suite == null ? RaetKeys.open()
                : RaetKeys.of(SecurityConfig.Mode.ENCRYPTED, me, List.of(peer.getPublic())).withSuites(List.of(suite));
    }

    /** A pair of transports; B receives and counts bytes. */
    private static final class Pair implements AutoCloseable {
        final RaetTransport a;
        final RaetTransport b;
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong messages = new AtomicLong();
        final Relay relay;

        Pair(EventLoopGroup group, AeadSuite suite, double loss) throws Exception {
            Metrics m = new Metrics();
            InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
            CountDownLatch up = new CountDownLatch(2);
            b = new RaetTransport(0, null, any, group, keys(suite, KB, KA), RaetOptions.defaults(), new RaetCounters(m, "b"),
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
            a = new RaetTransport(0, target, any, group, keys(suite, KA, KB), RaetOptions.defaults(), new RaetCounters(m, "a"),
                    32L << 20, 4 << 20);
            a.setReceiver(new ResiBench.Receiver(up));
            a.start();
            if (!up.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no session");
            }
            String want = suite == null ? "open" : suite.label();
            if (!a.protection().orElse("").equals(want) || !b.protection().orElse("").equals(want)) {
                throw new IllegalStateException("asked for " + want + ", session has " + a.protection() + "/" + b.protection());
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
    static Run goodput(EventLoopGroup group, AeadSuite suite, int size, double seconds) throws Exception {
        try (Pair p = new Pair(group, suite, -1)) {
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
                    p.b.counters().sentPackets() / (double) p.a.counters().sentPackets(), p.a.protection().orElse("?"));
        }
    }

    /** Milliseconds until one 1 MiB message is delivered through a relay dropping {@code loss}. */
    static long recovery(EventLoopGroup group, AeadSuite suite, double loss, long seed) throws Exception {
        try (Pair p = new Pair(group, suite, loss)) {
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

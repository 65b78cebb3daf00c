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
 *   <li>kind C goodput for 1 KiB and 64 KiB messages, open and encrypted, and their ratio;</li>
 *   <li>small-message (64 B) rate, open;</li>
 *   <li>recovery: time to complete one 1 MiB transfer through a relay losing 0%, 1%, 10% of
 *       datagrams (encrypted).</li>
 * </ol>
 * Run: {@code java -cp tests/target/classes:$(cat tests/target/cp.txt) dev.ferry.bench.RaetBench [seconds]}.
 */
public final class RaetBench {
    private static final KeyPair KA = Crypto.newEd25519();
    private static final KeyPair KB = Crypto.newEd25519();

    private RaetBench() { }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            goodput(group, SecurityConfig.Mode.OPEN, 1024, seconds / 2); // warm-up
            goodput(group, SecurityConfig.Mode.ENCRYPTED, 1024, seconds / 2);
            for (int size : new int[] {1024, 65536}) {
                double open = goodput(group, SecurityConfig.Mode.OPEN, size, seconds);
                double enc = goodput(group, SecurityConfig.Mode.ENCRYPTED, size, seconds);
                System.out.printf("kind C goodput %d B messages: open %.1f MB/s, encrypted %.1f MB/s, ratio %.2f (goal >= 0.6)%n",
                        size, open / 1e6, enc / 1e6, enc / open);
            }
            double rate = goodput(group, SecurityConfig.Mode.OPEN, 64, seconds) / 64;
            System.out.printf("small messages (64 B, kind C, open): %.0f msg/s (goal >= 50,000 on 2 cores)%n", rate);
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
            b.setReceiver(new Rx(up) {
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
            a.setReceiver(new Rx(up));
            a.start();
            if (!up.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no session");
            }
        }

        void send(byte[] msg) {
            while (!a.send(msg)) {
                LockSupport.parkNanos(20_000);
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

    /** Bytes per second delivered, sending {@code size}-byte messages for about {@code seconds}. */
    static double goodput(EventLoopGroup group, SecurityConfig.Mode mode, int size, double seconds) throws Exception {
        try (Pair p = new Pair(group, mode, -1)) {
            byte[] msg = new byte[size];
            new Random(1).nextBytes(msg);
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
            return p.bytes.get() / ((System.nanoTime() - start) / 1e9);
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

    private static class Rx implements Transport.Receiver {
        private final CountDownLatch up;

        Rx(CountDownLatch up) {
            this.up = up;
        }

        @Override
        public void onEnvelope(Transport t, byte[] e) { }

        @Override
        public void onState(Transport t, Transport.State s, String reason) {
            if (s == Transport.State.UP) {
                up.countDown();
            }
        }

        @Override
        public void onGarbage(Transport t, String reason) { }
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

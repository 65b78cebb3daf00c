package dev.ferry.bench;

import dev.ferry.edge.config.PeerConfig;
import dev.ferry.edge.proto.resi.Envelope;
import dev.ferry.edge.resi.LinkOptions;
import dev.ferry.edge.resi.PeerLink;
import dev.ferry.edge.resi.ResiCodec;
import dev.ferry.edge.transport.TcpTransport;
import dev.ferry.edge.transport.Transport;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * RESI benchmark (not a test; figures only). Small RP messages A → B on 127.0.0.1:
 * <ol>
 *   <li>throughput over 2 TCP transports, permissive and strict, as a ratio to one plain TCP
 *       transport carrying the same envelopes (parsed and decoded at the receiver as well);</li>
 *   <li>latency p50/p99 at a paced 10,000 msg/s;</li>
 *   <li>failover: the largest gap between deliveries when one transport is black-holed mid-stream
 *       at 10,000 msg/s, and messages lost.</li>
 * </ol>
 * Run: {@code java -cp ... dev.ferry.bench.ResiBench [messages]}.
 */
public final class ResiBench {
    private static final int PING_MS = 100;

    private ResiBench() { }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(4, NioIoHandler.newFactory());
        try {
            for (int warm = 0; warm < 2; warm++) {
                plainTcp(group, n / 4);
                resi(group, PeerConfig.Mode.PERMISSIVE, n / 4);
            }
            double plain = plainTcp(group, n);
            double perm = resi(group, PeerConfig.Mode.PERMISSIVE, n);
            double strict = resi(group, PeerConfig.Mode.STRICT, n);
            System.out.printf("throughput msg/s: plain TCP %.0f, permissive %.0f (ratio %.2f, goal >= 0.7), strict %.0f (ratio %.2f, goal >= 0.5)%n",
                    plain, perm, perm / plain, strict, strict / plain);
            for (PeerConfig.Mode m : PeerConfig.Mode.values()) {
                latency(group, m);
            }
            for (PeerConfig.Mode m : PeerConfig.Mode.values()) {
                failover(group, m);
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        System.exit(0);
    }

    static Message message(long i, long stamp) {
        byte[] body = ByteBuffer.allocate(16).putLong(i).putLong(stamp).array();
        return Message.builder(Verb.POST, Path.of("/b/in"), Path.of("/#requests/1")).body(BodyType.OCTETS, body).build();
    }

    static double plainTcp(EventLoopGroup group, int n) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong got = new AtomicLong();
        Transport server = new TcpTransport(0, TcpTransport.Role.LISTEN, new InetSocketAddress("127.0.0.1", 0),
                Optional.empty(), 1000, group, 1 << 16, 8L << 20);
        CountDownLatch up = new CountDownLatch(2);
        server.setReceiver(new Receiver(up) {
            @Override
            public void onEnvelope(Transport t, byte[] e) {
                try {
                    ResiCodec.fromProto(Envelope.parseFrom(e).getRp());
                } catch (IOException ex) {
                    throw new IllegalStateException(ex);
                }
                if (got.incrementAndGet() == n) {
                    done.countDown();
                }
            }
        });
        server.start();
        Transport client = new TcpTransport(0, TcpTransport.Role.CONNECT, server.localAddress().orElseThrow(),
                Optional.empty(), 1000, group, 1 << 16, 8L << 20);
        client.setReceiver(new Receiver(up));
        client.start();
        up.await(5, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        for (long i = 0; i < n; i++) {
            byte[] env = Envelope.newBuilder().setSeq(i + 1).setAck(i).setRp(ResiCodec.toProto(message(i, 0)))
                    .build().toByteArray();
            while (!client.send(env)) {
                Thread.onSpinWait();
            }
        }
        done.await(60, TimeUnit.SECONDS);
        double rate = n / ((System.nanoTime() - t0) / 1e9);
        client.stop();
        server.stop();
        return rate;
    }

    /** A pair of links over two TCP transports; transport 1 of A goes through a relay. */
    static final class Pair implements AutoCloseable {
        final PeerLink a;
        final PeerLink b;
        final Relay relay;

        Pair(EventLoopGroup group, PeerConfig.Mode mode, PeerLink.Listener atB) throws Exception {
            InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
            LinkOptions o = LinkOptions.defaults();
            Transport b0 = new TcpTransport(0, TcpTransport.Role.LISTEN, any, Optional.empty(), 200, group, 1 << 16, 8L << 20);
            Transport b1 = new TcpTransport(1, TcpTransport.Role.LISTEN, any, Optional.empty(), 200, group, 1 << 16, 8L << 20);
            b = new PeerLink(peer("gw-a", mode), "gw-b", Path.of("/#peers/gw-a"), List.of(b0, b1), group, o, System::nanoTime);
            b.start(atB);
            relay = new Relay(b1.localAddress().orElseThrow());
            Transport a0 = new TcpTransport(0, TcpTransport.Role.CONNECT, b0.localAddress().orElseThrow(),
                    Optional.of("127.0.0.1"), 200, group, 1 << 16, 8L << 20);
            Transport a1 = new TcpTransport(1, TcpTransport.Role.CONNECT, relay.address(), Optional.of("127.0.0.1"),
                    200, group, 1 << 16, 8L << 20);
            a = new PeerLink(peer("gw-b", mode), "gw-a", Path.of("/b"), List.of(a0, a1), group, o, System::nanoTime);
            a.start((l, m) -> { });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!(allLive(a) && allLive(b)) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000);
            }
        }

        static boolean allLive(PeerLink l) {
            return l.health().transports().stream().allMatch(t -> t.live());
        }

        void send(Message m) throws InterruptedException {
            while (!a.deliver(m)) {
                a.awaitRoom(1000);
            }
        }

        @Override
        public void close() throws IOException {
            a.close();
            b.close();
            relay.close();
        }
    }

    static PeerConfig peer(String id, PeerConfig.Mode mode) {
        return new PeerConfig(id, mode, 2000, PING_MS, 3, 1024, 4096, List.of(), List.of(), List.of());
    }

    static double resi(EventLoopGroup group, PeerConfig.Mode mode, int n) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong got = new AtomicLong();
        try (Pair p = new Pair(group, mode, (l, m) -> {
            if (got.incrementAndGet() == n) {
                done.countDown();
            }
        })) {
            long t0 = System.nanoTime();
            for (long i = 0; i < n; i++) {
                p.send(message(i, 0));
            }
            done.await(120, TimeUnit.SECONDS);
            return n / ((System.nanoTime() - t0) / 1e9);
        }
    }

    static void latency(EventLoopGroup group, PeerConfig.Mode mode) throws Exception {
        int n = 30_000;
        long[] lat = new long[n];
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong got = new AtomicLong();
        try (Pair p = new Pair(group, mode, (l, m) -> {
            ByteBuffer bb = ByteBuffer.wrap(m.body());
            int i = (int) bb.getLong();
            lat[i] = System.nanoTime() - bb.getLong();
            if (got.incrementAndGet() == n) {
                done.countDown();
            }
        })) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long due = t0 + i * 100_000L; // 10,000 msg/s
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                p.send(message(i, System.nanoTime()));
            }
            done.await(30, TimeUnit.SECONDS);
        }
        long[] tail = Arrays.copyOfRange(lat, n / 3, n); // after warm-up
        Arrays.sort(tail);
        System.out.printf("latency %s at 10,000 msg/s: p50 %.1f us, p99 %.1f us%n", mode.name().toLowerCase(),
                tail[tail.length / 2] / 1e3, tail[(int) (tail.length * 0.99)] / 1e3);
    }

    static void failover(EventLoopGroup group, PeerConfig.Mode mode) throws Exception {
        int n = 30_000;
        AtomicLong got = new AtomicLong();
        AtomicLong last = new AtomicLong();
        AtomicLong maxGap = new AtomicLong();
        AtomicLong maxGapBefore = new AtomicLong();
        long[] expected = {0};
        AtomicLong holedAt = new AtomicLong(Long.MAX_VALUE);
        boolean[] inOrder = {true};
        try (Pair p = new Pair(group, mode, (l, m) -> {
            long now = System.nanoTime();
            long i = ByteBuffer.wrap(m.body()).getLong();
            if (i != expected[0]++) {
                inOrder[0] = false;
            }
            long prev = last.getAndSet(now);
            if (prev != 0 && i > 1000) {
                (now > holedAt.get() ? maxGap : maxGapBefore).accumulateAndGet(now - prev, Math::max);
            }
            got.incrementAndGet();
        })) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if (i == n / 2) {
                    holedAt.set(System.nanoTime());
                    p.relay.blackHole = true;
                }
                long due = t0 + i * 100_000L;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                p.send(message(i, 0));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (got.get() < n && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000);
            }
            System.out.printf("failover %s (ping %d ms, dead after 3): largest delivery gap after the black-hole %.1f ms"
                    + " (before it, no fault: %.1f ms), lost %d, in order %s%n", mode.name().toLowerCase(), PING_MS,
                    maxGap.get() / 1e6, maxGapBefore.get() / 1e6, n - got.get(), inOrder[0]);
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

    /** A byte relay whose both directions can be black-holed (bytes read and discarded). */
    static final class Relay implements AutoCloseable {
        volatile boolean blackHole;
        private final ServerSocket server;
        private final InetSocketAddress target;

        Relay(InetSocketAddress target) throws IOException {
            this.target = target;
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::accept, "relay");
            t.setDaemon(true);
            t.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
        }

        private void accept() {
            try {
                while (true) {
                    Socket c = server.accept();
                    Socket s = new Socket(target.getAddress(), target.getPort());
                    c.setTcpNoDelay(true);
                    s.setTcpNoDelay(true);
                    pump(c.getInputStream(), s.getOutputStream());
                    pump(s.getInputStream(), c.getOutputStream());
                }
            } catch (IOException e) {
                // closed
            }
        }

        private void pump(InputStream in, OutputStream out) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[65536];
                try {
                    int r;
                    while ((r = in.read(buf)) >= 0) {
                        if (!blackHole) {
                            out.write(buf, 0, r);
                            out.flush();
                        }
                    }
                } catch (IOException e) {
                    // connection ended
                }
            }, "relay-pump");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}

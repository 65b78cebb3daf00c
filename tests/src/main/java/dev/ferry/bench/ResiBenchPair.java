package dev.ferry.bench;

import dev.ferry.edge.config.ConfigException;
import dev.ferry.edge.config.ConfigLoader;
import dev.ferry.edge.config.PeerConfig;
import dev.ferry.edge.resi.LinkOptions;
import dev.ferry.edge.resi.PeerLink;
import dev.ferry.edge.resi.PeerListener;
import dev.ferry.edge.security.NodeKeys;
import dev.ferry.edge.security.PeerTls;
import dev.ferry.edge.transport.TcpGuard;
import dev.ferry.edge.transport.TcpTransport;
import dev.ferry.edge.transport.Transport;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Two peer links for {@link ResiBench} in one JVM on 127.0.0.1: A (gw-a) connects to B (gw-b) over
 * two TCP transports. With {@code relayed}, A's transport 1 goes through a {@link Relay} that can
 * black-hole it (failover); without, both transports are direct sockets like the plain-TCP
 * baseline (throughput and latency: a relay would add two copying threads that the baseline does
 * not pay).
 */
final class ResiBenchPair implements AutoCloseable {
    static final int PING_MS = 100;
    static final int FRAME = 1 << 16;
    static final long QUEUED = 8L << 20;

    final PeerLink a;
    final PeerLink b;
    final Relay relay;

    ResiBenchPair(EventLoopGroup group, PeerConfig.Mode mode, boolean relayed, PeerListener atB) throws Exception {
        this(group, mode, relayed, false, atB);
    }

    /** With {@code tls}, every transport runs TLS 1.3 as in security mode signed ({@link #tlsGuards()}). */
    ResiBenchPair(EventLoopGroup group, PeerConfig.Mode mode, boolean relayed, boolean tls, PeerListener atB)
            throws Exception {
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        LinkOptions o = LinkOptions.defaults();
        EventLoop loopB = group.next(); // one loop per link, as PeerLinks.fromConfig does
        EventLoop loopA = group.next();
        TcpGuard[] g = tls ? tlsGuards() : new TcpGuard[] {TcpGuard.plain(TcpGuard.LOG_ONLY),
                TcpGuard.plain(TcpGuard.LOG_ONLY)};
        Transport b0 = new TcpTransport(0, TcpTransport.Role.LISTEN, any, Optional.empty(), 200, loopB, FRAME, QUEUED, g[1]);
        Transport b1 = new TcpTransport(1, TcpTransport.Role.LISTEN, any, Optional.empty(), 200, loopB, FRAME, QUEUED, g[1]);
        b = new PeerLink(peer("gw-a", mode), "gw-b", Path.of("/#peers/gw-a"), List.of(b0, b1), loopB, o, System::nanoTime);
        b.start(atB);
        relay = relayed ? new Relay(b1.localAddress().orElseThrow()) : null;
        Transport a0 = new TcpTransport(0, TcpTransport.Role.CONNECT, b0.localAddress().orElseThrow(),
                Optional.of("127.0.0.1"), 200, loopA, FRAME, QUEUED, g[0]);
        Transport a1 = new TcpTransport(1, TcpTransport.Role.CONNECT,
                relayed ? relay.address() : b1.localAddress().orElseThrow(), Optional.of("127.0.0.1"), 200, loopA,
                FRAME, QUEUED, g[0]);
        a = new PeerLink(peer("gw-b", mode), "gw-a", Path.of("/b"), List.of(a0, a1), loopA, o, System::nanoTime);
        a.start((l, m) -> { });
        if (!awaitAllLive(10_000)) {
            throw new IllegalStateException("links did not come up: " + a.health() + " / " + b.health());
        }
    }

    private static final KeyPair KEY_A = Keys.ed25519();
    private static final KeyPair KEY_B = Keys.ed25519();

    /**
     * TLS guards as a signed-mode gateway makes them (PeerTls, JDK provider, keys pinned and bound
     * to gw-a / gw-b): {connector at A, listener at B}. Keys are made once per JVM.
     */
    static TcpGuard[] tlsGuards() {
        PeerTls a = PeerTls.create(NodeKeys.of(KEY_A, Map.of("gw-b", KEY_B.getPublic())), "gw-a");
        PeerTls b = PeerTls.create(NodeKeys.of(KEY_B, Map.of("gw-a", KEY_A.getPublic())), "gw-b");
        return new TcpGuard[] {TcpGuard.tls(a.clientFor("gw-b"), 5000, PeerTls::reason, TcpGuard.LOG_ONLY),
                TcpGuard.tls(b.serverFor("gw-a"), 5000, PeerTls::reason, TcpGuard.LOG_ONLY)};
    }

    /** A peer with the configuration's default resend buffer and duplicate window. */
    static PeerConfig peer(String id, PeerConfig.Mode mode) {
        PeerConfig d;
        try {
            d = ConfigLoader.parse(String.join("\n", "[[peers]]", "id = \"" + id + "\"",
                    "[[peers.transports]]", "connect = \"127.0.0.1:9\"", ""), "bench defaults").peers().get(0);
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
        return new PeerConfig(id, mode, 2000, PING_MS, 3, d.resendBuffer(), d.dupWindow(), List.of(), List.of(), List.of());
    }

    private static final Path TO = Path.of("/b/in");
    private static final Path FROM = Path.of("/#requests/1");

    /**
     * A small RP message: 16-byte body = number and a nanoTime stamp. Its paths are parsed once
     * (a router hands links messages whose paths are parsed already), so the producer thread
     * measures the link and the baseline, not the bench's own path parsing.
     */
    static Message message(long i, long stamp) {
        byte[] body = ByteBuffer.allocate(16).putLong(i).putLong(stamp).array();
        return Message.builder(Verb.POST, TO, FROM).body(BodyType.OCTETS, body).build();
    }

    /** Waits until every transport of both links is live; false after {@code timeoutMs}. */
    boolean awaitAllLive(long timeoutMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!(allLive(a) && allLive(b))) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(1_000_000);
        }
        return true;
    }

    static boolean allLive(PeerLink l) {
        return l.health().transports().stream().allMatch(t -> t.live());
    }

    /** Delivers from A, waiting for room in the resend buffer. */
    void send(Message m) throws InterruptedException {
        while (!a.deliver(m)) {
            a.awaitRoom(1000);
        }
    }

    @Override
    public void close() throws IOException {
        a.close();
        b.close();
        if (relay != null) {
            relay.close();
        }
    }

    /**
     * A byte relay; while {@code blackHole} is set both directions are read and discarded. Clearing
     * it closes the relayed connections (their byte streams lost data mid-envelope), so the
     * transport reconnects and rejoins like a repaired path.
     */
    static final class Relay implements AutoCloseable {
        private volatile boolean blackHole;
        private final ServerSocket server;
        private final InetSocketAddress target;
        private final List<Socket> sockets = new ArrayList<>();

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

        void blackHole() {
            blackHole = true;
        }

        /** Ends the black-hole and drops the damaged connections. */
        void heal() throws IOException {
            List<Socket> old;
            synchronized (sockets) {
                old = new ArrayList<>(sockets);
                sockets.clear();
                blackHole = false;
            }
            for (Socket s : old) {
                s.close();
            }
        }

        private void accept() {
            try {
                while (true) {
                    Socket c = server.accept();
                    Socket s = new Socket(target.getAddress(), target.getPort());
                    c.setTcpNoDelay(true);
                    s.setTcpNoDelay(true);
                    synchronized (sockets) {
                        sockets.add(c);
                        sockets.add(s);
                    }
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
            heal();
        }
    }
}

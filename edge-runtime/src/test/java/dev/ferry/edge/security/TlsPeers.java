package dev.ferry.edge.security;

import static org.junit.jupiter.api.Assertions.fail;

import dev.ferry.edge.config.PeerConfig;
import dev.ferry.edge.resi.LinkOptions;
import dev.ferry.edge.resi.PeerLink;
import dev.ferry.edge.transport.TcpGuard;
import dev.ferry.edge.transport.TcpTransport;
import dev.ferry.edge.transport.Transport;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Two real peers on loopback over TLS: A (node gw-a) connects from 127.0.0.1 to B (node gw-b),
 * which listens; each trusts the other's key for its id, and B also trusts gw-c's key (a third,
 * legitimate peer). Attackers connect from other loopback addresses (127.0.0.2 and up), so the
 * per-source limits count them apart from A. Each side's refusals are counted by reason.
 */
final class TlsPeers implements AutoCloseable {
    static final KeyPair KA = newKey();
    static final KeyPair KB = newKey();
    static final KeyPair KC = newKey();
    static final KeyPair STRANGER = newKey();

    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    final Refusals refusedAtA = new Refusals();
    final Refusals refusedAtB = new Refusals();
    final List<Message> atB = new ArrayList<>();
    final RecordingTransport b0;
    final PeerLink a;
    final PeerLink b;
    final PeerTls tlsB;

    TlsPeers(long handshakeMillis) {
        tlsB = PeerTls.create(NodeKeys.of(KB, Map.of("gw-a", KA.getPublic(), "gw-c", KC.getPublic())), "gw-b");
        PeerTls tlsA = PeerTls.create(NodeKeys.of(KA, Map.of("gw-b", KB.getPublic())), "gw-a");
        LinkOptions o = LinkOptions.defaults();
        b0 = new RecordingTransport(new TcpTransport(0, TcpTransport.Role.LISTEN, new InetSocketAddress("127.0.0.1", 0),
                Optional.empty(), 200, group, o.maxEnvelope(), o.maxQueuedBytes(),
                TcpGuard.tls(tlsB.serverFor("gw-a"), handshakeMillis, PeerTls::reason, refusedAtB)));
        b = new PeerLink(peer("gw-a"), "gw-b", Path.of("/#peers/gw-a"), List.of(b0), group, o, System::nanoTime);
        b.start((link, m) -> {
            synchronized (atB) {
                atB.add(m);
            }
        });
        Transport a0 = new TcpTransport(0, TcpTransport.Role.CONNECT, listenAddress(), Optional.of("127.0.0.1"), 200,
                group, o.maxEnvelope(), o.maxQueuedBytes(),
                TcpGuard.tls(tlsA.clientFor("gw-b"), handshakeMillis, PeerTls::reason, refusedAtA));
        a = new PeerLink(peer("gw-b"), "gw-a", Path.of("/b"), List.of(a0), group, o, System::nanoTime);
        a.start((link, m) -> { });
        await(() -> a.live() && b.live(), 10_000, "the TLS link up on both sides");
    }

    static PeerConfig peer(String id) {
        return new PeerConfig(id, PeerConfig.Mode.PERMISSIVE, 2000, 200, 3, 4096, 4096, List.of(), List.of(), List.of());
    }

    InetSocketAddress listenAddress() {
        return b0.localAddress().orElseThrow();
    }

    int deliveredAtB() {
        synchronized (atB) {
            return atB.size();
        }
    }

    /** A client transport from {@code source} to B's listener presenting {@code key}, trusting B. */
    TcpTransport attacker(KeyPair key, String source, Refusals refused) {
        PeerTls tls = PeerTls.create(NodeKeys.of(key, Map.of("gw-b", KB.getPublic())), "gw-a");
        TcpTransport t = new TcpTransport(0, TcpTransport.Role.CONNECT, listenAddress(), Optional.of(source), 100,
                group, 65536, 1 << 20, TcpGuard.tls(tls.clientFor("gw-b"), 2000, PeerTls::reason, refused));
        t.setReceiver(quiet(new ArrayList<>()));
        return t;
    }

    /** A receiver that ignores envelopes and adds each state to {@code states} (synchronized on it). */
    static Transport.Receiver quiet(List<Transport.State> states) {
        return new Transport.Receiver() {
            @Override
            public void onEnvelope(Transport tr, byte[] envelope) { }

            @Override
            public void onState(Transport tr, Transport.State state, String reason) {
                synchronized (states) {
                    states.add(state);
                }
            }

            @Override
            public void onGarbage(Transport tr, String reason) { }
        };
    }

    static KeyPair newKey() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code c} until true (a deadline, never a fixed sleep). */
    static void await(BooleanSupplier c, long timeoutMs, String what) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for: " + what);
            }
            LockSupport.parkNanos(2_000_000);
        }
    }

    @Override
    public void close() {
        a.close();
        b.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Refusals counted by reason, with the last detail. */
    static final class Refusals implements TcpGuard.Refusals {
        final Map<String, AtomicInteger> byReason = new ConcurrentHashMap<>();
        volatile String lastDetail;

        @Override
        public void refused(String reason, SocketAddress remote, String detail) {
            byReason.computeIfAbsent(reason, r -> new AtomicInteger()).incrementAndGet();
            lastDetail = detail;
        }

        int count(String reason) {
            AtomicInteger n = byReason.get(reason);
            return n == null ? 0 : n.get();
        }

        @Override
        public String toString() {
            return byReason + " (last: " + lastDetail + ")";
        }
    }
}

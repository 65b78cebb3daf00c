package dev.ferry.edge.resi;

import static org.junit.jupiter.api.Assertions.fail;

import dev.ferry.edge.config.PeerConfig;
import dev.ferry.edge.route.Meta;
import dev.ferry.edge.transport.TcpTransport;
import dev.ferry.edge.transport.Transport;
import dev.ferry.edge.transport.UdpTransport;
import dev.ferry.edge.transport.proxy.FaultPlan;
import dev.ferry.edge.transport.proxy.TcpFaultProxy;
import dev.ferry.edge.transport.proxy.UdpFaultProxy;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Two peer links in one JVM on 127.0.0.1: A (node gw-a) connects, B (node gw-b) listens, with two
 * transports each (TCP+TCP or TCP+UDP), every transport through a fault-injection proxy.
 */
final class LinkPair implements AutoCloseable {
    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(4, NioIoHandler.newFactory());
    final Collector atA = new Collector();
    final Collector atB = new Collector();
    final TcpFaultProxy p0;
    final AutoCloseable p1;
    final PeerLink a;
    final PeerLink b;

    LinkPair(PeerConfig.Mode mode, boolean udp, int resendBuffer, int pingMs, LinkOptions opts) throws IOException {
        LinkOptions o = opts;
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        Transport b0 = new TcpTransport(0, TcpTransport.Role.LISTEN, any, Optional.empty(), 200, group,
                o.maxEnvelope(), o.maxQueuedBytes());
        Transport b1 = udp ? new UdpTransport(1, null, any, o.datagramSize(), o.maxEnvelope(), group, o.maxQueuedBytes())
                : new TcpTransport(1, TcpTransport.Role.LISTEN, any, Optional.empty(), 200, group,
                o.maxEnvelope(), o.maxQueuedBytes());
        b = new PeerLink(peer("gw-a", mode, resendBuffer, pingMs), "gw-b", Path.of("/#peers/gw-a"),
                List.of(b0, b1), group, o, System::nanoTime);
        b.start(atB);
        p0 = new TcpFaultProxy(b0.localAddress().orElseThrow());
        p1 = udp ? new UdpFaultProxy(b1.localAddress().orElseThrow()) : new TcpFaultProxy(b1.localAddress().orElseThrow());
        InetSocketAddress p1addr = udp ? ((UdpFaultProxy) p1).address() : ((TcpFaultProxy) p1).address();
        Transport a0 = new TcpTransport(0, TcpTransport.Role.CONNECT, p0.address(), Optional.of("127.0.0.1"), 200,
                group, o.maxEnvelope(), o.maxQueuedBytes());
        Transport a1 = udp ? new UdpTransport(1, p1addr, any, o.datagramSize(), o.maxEnvelope(), group, o.maxQueuedBytes())
                : new TcpTransport(1, TcpTransport.Role.CONNECT, p1addr, Optional.of("127.0.0.1"), 200, group,
                o.maxEnvelope(), o.maxQueuedBytes());
        a = new PeerLink(peer("gw-b", mode, resendBuffer, pingMs), "gw-a", Path.of("/b"), List.of(a0, a1), group, o,
                System::nanoTime);
        a.start(atA);
        await(() -> allLive(a) && allLive(b), 10_000, "both transports live on both sides");
    }

    static PeerConfig peer(String id, PeerConfig.Mode mode, int resendBuffer, int pingMs) {
        return new PeerConfig(id, mode, 1000, pingMs, 3, resendBuffer, 4096, List.of("/" + id), List.of(), List.of());
    }

    FaultPlan p1ToServer() {
        return p1 instanceof TcpFaultProxy t ? t.toServer : ((UdpFaultProxy) p1).toServer;
    }

    FaultPlan p1ToClient() {
        return p1 instanceof TcpFaultProxy t ? t.toClient : ((UdpFaultProxy) p1).toClient;
    }

    static boolean allLive(PeerLink l) {
        return l.health().transports().stream().allMatch(LinkHealth.TransportHealth::live);
    }

    static boolean transportLive(PeerLink l, int i) {
        return l.health().transports().get(i).live();
    }

    /** Polls {@code c} until true (an await with a deadline; never a fixed sleep). */
    static void await(BooleanSupplier c, long timeoutMs, String what) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for: " + what);
            }
            LockSupport.parkNanos(2_000_000);
        }
    }

    /** Delivers {@code m} from A, waiting for room in the resend buffer when it is full. */
    static void send(PeerLink from, Message m) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!from.deliver(m)) {
            if (System.nanoTime() > deadline) {
                fail("could not deliver " + m + ": " + from.health());
            }
            if (!from.awaitRoom(1000)) {
                continue;
            }
        }
    }

    @Override
    public void close() throws Exception {
        a.close();
        b.close();
        p0.close();
        p1.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Collects what a link hands over. */
    static final class Collector implements PeerListener {
        final List<Message> messages = new ArrayList<>();
        /** The meta that came with each message (null when none came), in step with {@link #messages}. */
        final List<Meta> metas = new ArrayList<>();
        final List<PassedExtension> extensions = new ArrayList<>();

        @Override
        public synchronized void onMessage(PeerLink link, Message m) {
            messages.add(m);
            metas.add(null);
        }

        @Override
        public synchronized void onMessage(PeerLink link, Message m, Meta meta) {
            messages.add(m);
            metas.add(meta);
        }

        @Override
        public synchronized void onExtension(PeerLink link, PassedExtension ext) {
            extensions.add(ext);
        }

        synchronized int count() {
            return messages.size();
        }

        synchronized int extensionCount() {
            return extensions.size();
        }

        synchronized List<Message> snapshot() {
            return new ArrayList<>(messages);
        }
    }
}

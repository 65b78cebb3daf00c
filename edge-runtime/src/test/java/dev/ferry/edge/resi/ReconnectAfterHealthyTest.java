package dev.ferry.edge.resi;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.config.PeerConfig;
import dev.ferry.edge.transport.TcpTransport;
import dev.ferry.edge.transport.Transport;
import dev.ferry.edge.transport.proxy.TcpFaultProxy;
import dev.ferry.rp.Path;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: a restored TCP transport took 8-12 s to rejoin, because its reconnect back-off kept
 * growing across outages and only started over after a connection that lasted 2 s. It now starts
 * over once the path was healthy (the peer's handshake arrived on it). The relay refuses long
 * enough for the back-off to reach 6.4 s, lets one connection through (healthy, for well under
 * 2 s), then drops it: the transport must be back long before 6.4 s.
 */
@Tag("system")
class ReconnectAfterHealthyTest {
    private static final int RECONNECT_MAX_MS = 60_000;

    @Test
    void aPathThatWasHealthyReconnectsFromTheMinimumBackOff() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        LinkOptions o = LinkOptions.defaults();
        Transport listen = new TcpTransport(0, TcpTransport.Role.LISTEN, new InetSocketAddress("127.0.0.1", 0),
                Optional.empty(), RECONNECT_MAX_MS, group, o.maxEnvelope(), o.maxQueuedBytes());
        PeerLink b = new PeerLink(LinkPair.peer("gw-a", PeerConfig.Mode.PERMISSIVE, 64, 100), "gw-b",
                Path.of("/#peers/gw-a"), List.of(listen), group, o, System::nanoTime);
        b.start(new LinkPair.Collector());
        try (TcpFaultProxy relay = new TcpFaultProxy(listen.localAddress().orElseThrow())) {
            Transport connect = new TcpTransport(0, TcpTransport.Role.CONNECT, relay.address(), Optional.empty(),
                    RECONNECT_MAX_MS, group, o.maxEnvelope(), o.maxQueuedBytes());
            PeerLink a = new PeerLink(LinkPair.peer("gw-b", PeerConfig.Mode.PERMISSIVE, 64, 100), "gw-a",
                    Path.of("/b"), List.of(connect), group, o, System::nanoTime);
            a.start(new LinkPair.Collector());
            LinkPair.await(() -> a.live() && b.live(), 10_000, "link up");

            relay.refuse(true);
            relay.closeConnections();
            // refused after 0.1, 0.3, 0.7, 1.5, 3.1 s: the next wait is 3.2 s, the one after 6.4 s
            LinkPair.await(() -> relay.refused() >= 5, 20_000, "five refused reconnects");
            relay.refuse(false);
            LinkPair.await(() -> a.live() && b.live(), 20_000, "back after the outage");
            int accepted = relay.accepted();

            relay.closeConnections(); // a short healthy connection, dropped
            long dropped = System.nanoTime();
            LinkPair.await(() -> relay.accepted() > accepted && a.live() && b.live(), 5_000,
                    "back quickly: the back-off started over when the path was healthy");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - dropped);
            System.out.println("rejoined " + ms + " ms after the drop");
            assertTrue(relay.accepted() > accepted);
            a.close();
        } finally {
            b.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}

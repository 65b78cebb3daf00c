package dev.ferry.edge.raet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.edge.config.PeerConfig;
import dev.ferry.edge.config.SecurityConfig;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.resi.LinkHealth;
import dev.ferry.edge.resi.LinkOptions;
import dev.ferry.edge.resi.PeerLink;
import dev.ferry.edge.transport.TcpTransport;
import dev.ferry.edge.transport.Transport;
import dev.ferry.edge.transport.proxy.TcpFaultProxy;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A RESI peer link over TCP + RAET (encrypted) survives killing either transport mid-stream. */
@Tag("system")
class ResiOverRaetTest {
    private static Message numbered(int i) {
        return Message.builder(Verb.POST, Path.of("/b/in"), Path.of("/#requests/" + (i % 64)))
                .body(BodyType.TEXT, ("m-" + i).getBytes(StandardCharsets.UTF_8)).build();
    }

    private static PeerConfig peer(String id) {
        return new PeerConfig(id, PeerConfig.Mode.PERMISSIVE, 1000, 50, 3, 512, 4096, List.of("/" + id), List.of(), List.of());
    }

    private static boolean live(PeerLink l, int i) {
        return l.health().transports().get(i).live();
    }

    private static void send(PeerLink from, Message m) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!from.deliver(m)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("could not deliver " + m + ": " + from.health());
            }
            from.awaitRoom(500);
        }
    }

    @Test
    void linkSurvivesKillingTcpOrRaet() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(4, NioIoHandler.newFactory());
        LinkOptions o = LinkOptions.defaults();
        Metrics metrics = new Metrics();
        RaetKeys[] k = Fixtures.keys(SecurityConfig.Mode.ENCRYPTED);
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        List<Message> atB = new CopyOnWriteArrayList<>();
        Transport b0 = new TcpTransport(0, TcpTransport.Role.LISTEN, any, Optional.empty(), 200, group,
                o.maxEnvelope(), o.maxQueuedBytes());
        Transport b1 = new RaetTransport(1, null, any, group, k[1], RaetOptions.defaults(), new RaetCounters(metrics, "b"),
                o.maxQueuedBytes(), o.maxEnvelope());
        PeerLink b = new PeerLink(peer("gw-a"), "gw-b", Path.of("/#peers/gw-a"), List.of(b0, b1), group, o, System::nanoTime);
        b.start((link, m) -> atB.add(m));
        try (TcpFaultProxy tcp = new TcpFaultProxy(b0.localAddress().orElseThrow());
             LossyUdpProxy udp = new LossyUdpProxy(b1.localAddress().orElseThrow())) {
            Transport a0 = new TcpTransport(0, TcpTransport.Role.CONNECT, tcp.address(), Optional.of("127.0.0.1"), 200,
                    group, o.maxEnvelope(), o.maxQueuedBytes());
            Transport a1 = new RaetTransport(1, udp.address(), any, group, k[0], RaetOptions.defaults(),
                    new RaetCounters(metrics, "a"), o.maxQueuedBytes(), o.maxEnvelope());
            PeerLink a = new PeerLink(peer("gw-b"), "gw-a", Path.of("/b"), List.of(a0, a1), group, o, System::nanoTime);
            a.start((link, m) -> { });
            RaetTransportTest.await(() -> live(a, 0) && live(a, 1) && live(b, 0) && live(b, 1), 10_000, "all live");
            int n = 3000;
            for (int i = 0; i < n; i++) {
                if (i == 500) {
                    udp.blackHole = true; // kill RAET
                }
                if (i == 1000) {
                    int sent = i;
                    RaetTransportTest.await(() -> !live(a, 1) && atB.size() >= sent - 50, 10_000, "RAET declared dead");
                    udp.blackHole = false;
                    RaetTransportTest.await(() -> live(a, 1) && live(b, 1), 10_000, "RAET back");
                }
                if (i == 1500) {
                    tcp.refuse(true); // kill TCP
                    tcp.closeConnections();
                }
                if (i == 2000) {
                    int sent = i;
                    RaetTransportTest.await(() -> atB.size() >= sent - 50, 10_000, "RAET alone carries the stream");
                    tcp.refuse(false);
                    RaetTransportTest.await(() -> live(a, 0) && live(b, 0), 10_000, "TCP back");
                }
                send(a, numbered(i));
            }
            RaetTransportTest.await(() -> atB.size() >= n, 30_000, "all messages");
            for (int i = 0; i < n; i++) {
                assertEquals("m-" + i, new String(atB.get(i).body(), StandardCharsets.UTF_8), "in order, exactly once");
            }
            assertEquals(n, atB.size());
            LinkHealth h = a.health();
            assertEquals(2, h.transports().size());
            a.close();
        } finally {
            b.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}

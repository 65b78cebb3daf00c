package dev.ferry.edge.resi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.config.PeerConfig;
import dev.ferry.edge.proto.resi.Envelope;
import dev.ferry.edge.proto.resi.Extension;
import dev.ferry.edge.transport.TcpTransport;
import dev.ferry.edge.transport.Transport;
import dev.ferry.edge.transport.proxy.UdpFaultProxy;
import com.google.protobuf.ByteString;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import dev.ferry.rp.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Faults a peer link must survive or refuse cleanly. */
@Tag("system")
class PeerLinkFaultTest {

    @Test
    void strictNeverDeliversACorruptedCopyAndBlamesItsTransport() throws Exception {
        try (LinkPair lp = new LinkPair(PeerConfig.Mode.STRICT, false, 256, 50, LinkOptions.defaults())) {
            lp.p0.toServer.corruptNext(5);
            int n = 500;
            for (int i = 0; i < n; i++) {
                LinkPair.send(lp.a, PeerLinkStreamTest.numbered(i));
            }
            LinkPair.await(() -> lp.atB.count() >= n, 30_000, "all messages at B");
            PeerLinkStreamTest.assertInOrder(lp.atB.snapshot(), n);
            assertEquals(5, lp.p0.toServer.corrupted());
            LinkHealth hb = lp.b.health();
            // the integrity check tells the corrupt copy from the good one: no mismatch, the
            // transport that carried it is blamed (its copy is asked for again there: GapRepairTest)
            assertEquals(5, hb.transports().get(0).badCopies(), hb.toString());
            assertEquals(0, hb.transports().get(1).badCopies(), hb.toString());
            assertEquals(0, hb.mismatches(), hb.toString());
            assertTrue(hb.peerChecks());
            assertNotEquals("FAILING", hb.transports().get(0).state(), "5 bad copies among 500 good ones: it stays");
        }
    }

    @Test
    void garbageAndTruncatedEnvelopesAreCountedAndTheLinkSurvives() throws Exception {
        try (LinkPair lp = new LinkPair(PeerConfig.Mode.PERMISSIVE, true, 256, 50, LinkOptions.defaults())) {
            byte[] real = Envelope.newBuilder().setSeq(1).setRp(ResiCodec.toProto(PeerLinkStreamTest.numbered(0)))
                    .build().toByteArray();
            ByteArrayOutputStream truncated = new ByteArrayOutputStream();
            truncated.write(real.length / 2);
            truncated.write(real, 0, real.length / 2);
            int first = lp.p0.accepted();
            lp.p0.injectToServer(truncated.toByteArray()); // TCP: truncated envelope in a valid frame
            LinkPair.await(() -> lp.b.health().garbage() >= 1, 5000, "truncated envelope counted");
            // the peer sends integrity checks: one unparseable envelope in a good frame is one bad
            // copy, not a stream out of step; the connection stays
            assertEquals(1, lp.b.health().transports().get(0).badCopies());
            UdpFaultProxy u = (UdpFaultProxy) lp.p1;
            u.injectToServer(new byte[] {'E', (byte) 0xFF, (byte) 0xFF, 0x01}); // UDP: junk envelope
            u.injectToServer(new byte[] {'F', 1, 2});                           // UDP: bad fragment
            LinkPair.await(() -> lp.b.health().garbage() >= 3, 5000, "UDP garbage counted");
            assertEquals(first, lp.p0.accepted(), "no reconnect for one corrupt envelope");
            lp.p0.injectToServer(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F}); // huge length
            LinkPair.await(() -> lp.b.health().garbage() >= 4, 5000, "oversized frame counted");
            // a broken frame: the stream lost step, so it is reset and reconnects
            LinkPair.await(() -> LinkPair.allLive(lp.a) && LinkPair.allLive(lp.b) && lp.p0.accepted() > first
                    && lp.p0.connections() == 1, 10_000, "TCP reconnected after the broken frame");
            for (int i = 0; i < 200; i++) {
                LinkPair.send(lp.a, PeerLinkStreamTest.numbered(i));
            }
            LinkPair.await(() -> lp.atB.count() >= 200, 20_000, "messages after garbage");
            PeerLinkStreamTest.assertInOrder(lp.atB.snapshot(), 200);
            // awaited, not asserted at one instant: with 50 ms pings a loaded machine can silence a path briefly
            LinkPair.await(lp.b::live, 10_000, "B's link live");
        }
    }

    @Test
    void unknownExtensionsArePassedOrDropped() throws Exception {
        try (LinkPair lp = new LinkPair(PeerConfig.Mode.PERMISSIVE, false, 64, 50, LinkOptions.defaults())) {
            assertTrue(lp.a.modify(Extension.newBuilder().setId(77).setPass(true).setData(ByteString.copyFromUtf8("x")).build()));
            assertTrue(lp.a.modify(Extension.newBuilder().setId(78).setPass(false).build()));
            assertTrue(lp.a.modify(Extension.newBuilder().setId(LinkOptions.EXT_REDUNDANT_TRANSPORTS).build()));
            // counted on B's receive path, handed to B's listener through its inbox: wait for both
            LinkPair.await(() -> lp.b.health().extensionsDropped() == 1 && lp.b.health().extensionsPassed() == 1
                    && lp.atB.extensionCount() == 1, 5000, "extensions handled");
            synchronized (lp.atB) {
                assertEquals(77, lp.atB.extensions.get(0).ext().getId());
                assertEquals("gw-a", lp.atB.extensions.get(0).origin()); // sent without an origin: its sender
            }
            assertEquals(List.of("/gw-a"), lp.a.health().peerOffers()); // what B offers A
        }
    }

    @Test
    void resendBufferFullRefusesAndRecovers() throws Exception {
        try (LinkPair lp = new LinkPair(PeerConfig.Mode.PERMISSIVE, false, 8, 5000, LinkOptions.defaults())) {
            lp.p0.toServer.blackHole(true);
            lp.p1ToServer().blackHole(true);
            for (int i = 0; i < 8; i++) {
                assertTrue(lp.a.deliver(PeerLinkStreamTest.numbered(i)));
            }
            assertFalse(lp.a.deliver(PeerLinkStreamTest.numbered(8)));
            assertEquals(1, lp.a.health().backpressure());
            assertEquals(8, lp.a.health().unacked());
            lp.p0.toServer.heal();
            lp.p1ToServer().heal();
            assertTrue(lp.a.awaitRoom(10_000));
            LinkPair.send(lp.a, PeerLinkStreamTest.numbered(8));
            LinkPair.await(() -> lp.atB.count() >= 9, 10_000, "all nine delivered after healing");
            PeerLinkStreamTest.assertInOrder(lp.atB.snapshot(), 9);
        }
    }

    @Test
    void aPeerThatNeverAnswersTheHandshakeTimesOut() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        AtomicInteger accepted = new AtomicInteger();
        List<Socket> keep = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        Socket s = silent.accept();
                        synchronized (keep) {
                            keep.add(s);
                        }
                        accepted.incrementAndGet();
                    }
                } catch (Exception e) {
                    // closed
                }
            });
            t.setDaemon(true);
            t.start();
            Transport tr = new TcpTransport(0, TcpTransport.Role.CONNECT,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort()), Optional.empty(),
                    200, group, 1 << 16, 1 << 20);
            PeerConfig cfg = new PeerConfig("mute", PeerConfig.Mode.PERMISSIVE, 200, 50, 3, 16, 64,
                    List.of(), List.of(), List.of());
            PeerLink link = new PeerLink(cfg, "gw-a", Path.of("/#peers/mute"), List.of(tr), group,
                    LinkOptions.defaults(), System::nanoTime);
            link.start(new LinkPair.Collector());
            LinkPair.await(() -> link.health().handshakeTimeouts() >= 1, 5000, "handshake timeout");
            LinkPair.await(() -> accepted.get() >= 2, 5000, "reconnect after the timeout");
            assertFalse(link.live());
            assertFalse(link.deliver(PeerLinkStreamTest.numbered(0)));
            link.close();
        } finally {
            synchronized (keep) {
                for (Socket s : keep) {
                    s.close();
                }
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void anIncompatibleMajorVersionIsRefusedWithAReason() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            Transport listen = new TcpTransport(0, TcpTransport.Role.LISTEN, new InetSocketAddress("127.0.0.1", 0),
                    Optional.empty(), 200, group, 1 << 16, 1 << 20);
            PeerLink b = new PeerLink(LinkPair.peer("gw-a", PeerConfig.Mode.PERMISSIVE, 16, 50), "gw-b",
                    Path.of("/#peers/gw-a"), List.of(listen), group, LinkOptions.defaults(), System::nanoTime);
            b.start(new LinkPair.Collector());
            Transport connect = new TcpTransport(0, TcpTransport.Role.CONNECT, listen.localAddress().orElseThrow(),
                    Optional.empty(), 200, group, 1 << 16, 1 << 20);
            PeerLink a = new PeerLink(LinkPair.peer("gw-b", PeerConfig.Mode.PERMISSIVE, 16, 50), "gw-a",
                    Path.of("/gw-b"), List.of(connect), group, LinkOptions.defaults().withVersion(2, 0), System::nanoTime);
            a.start(new LinkPair.Collector());
            LinkPair.await(() -> b.health().refusals() >= 1, 5000, "B refuses A");
            String reason = b.health().lastRefusal();
            assertTrue(reason.contains("incompatible protocol version") && reason.contains("2.0"), reason);
            LinkPair.await(() -> a.health().refusals() >= 1, 5000, "A learns it was refused");
            assertFalse(a.live());
            assertFalse(b.live());
            a.close();
            b.close();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}

package dev.ferry.edge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.proto.resi.Envelope;
import dev.ferry.edge.resi.Envelopes;
import dev.ferry.edge.resi.LinkOptions;
import dev.ferry.edge.resi.PeerLink;
import dev.ferry.edge.resi.ResiCodec;
import dev.ferry.edge.transport.TcpGuard;
import dev.ferry.edge.transport.TcpTransport;
import dev.ferry.edge.transport.Transport;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TLS 1.3 on peer TCP transports, tried as a hostile peer would, on real loopback sockets: a key
 * nobody trusts, a trusted key claiming another peer's id, a plain TCP client, a client that never
 * finishes its handshake, a flood from one address, an impostor server; the real link between A
 * and B must never drop and its traffic must keep flowing meanwhile.
 */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PeerTlsTest {

    @Test
    void impostorsAreRefusedWhileTheRealLinkKeepsCarryingTraffic() throws Exception {
        try (TlsPeers p = new TlsPeers(2000)) {
            AtomicBoolean sending = new AtomicBoolean(true);
            AtomicLong sent = new AtomicLong();
            Thread producer = new Thread(() -> {
                try {
                    while (sending.get()) {
                        Message m = numbered(sent.get());
                        while (!p.a.deliver(m)) {
                            p.a.awaitRoom(100);
                        }
                        sent.incrementAndGet();
                        if (sent.get() % 64 == 0) {
                            Thread.sleep(1); // a steady stream, not a flood the attackers cannot get between
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "producer");
            producer.start();
            TlsPeers.await(() -> p.deliveredAtB() > 200, 10_000, "traffic before the attack");

            TlsPeers.Refusals seenByStranger = new TlsPeers.Refusals();
            TcpTransport stranger = p.attacker(TlsPeers.STRANGER, "127.0.0.2", seenByStranger);
            TcpTransport gwC = p.attacker(TlsPeers.KC, "127.0.0.3", new TlsPeers.Refusals());
            stranger.start();
            gwC.start();
            int before = p.deliveredAtB();
            TlsPeers.await(() -> p.refusedAtB.count(PeerTls.UNTRUSTED_KEY) >= 10
                    && p.refusedAtB.count(PeerTls.WRONG_PEER) >= 10, 60_000,
                    "ten refusals of each impostor at B: " + p.refusedAtB);
            int during = p.deliveredAtB();
            stranger.stop();
            gwC.stop();
            assertTrue(during > before, "messages kept flowing during the attack: " + before + " -> " + during);
            assertTrue(p.refusedAtB.lastDetail.contains("not for gw-a") || p.refusedAtB.lastDetail.contains("not trusted"),
                    p.refusedAtB.lastDetail);

            sending.set(false);
            producer.join();
            TlsPeers.await(() -> p.deliveredAtB() == sent.get(), 30_000, "every message at B");
            List<Message> got;
            synchronized (p.atB) {
                got = new ArrayList<>(p.atB);
            }
            for (int i = 0; i < got.size(); i++) {
                assertEquals(i, ByteBuffer.wrap(got.get(i).body()).getLong(), "in order, none lost");
            }
            assertEquals(List.of(Transport.State.CONNECTING, Transport.State.UP), p.b0.states(),
                    "B's connection to A was never dropped or replaced");
            assertEquals(0, p.b.health().refusals(), "no impostor reached the RESI handshake");
            assertEquals(0, p.b.health().garbage());
            assertTrue(p.a.live() && p.b.live());
        }
    }

    @Test
    void aPlainTcpClientIsRefusedBeforeAnyEnvelopeIsRead() throws Exception {
        try (TlsPeers p = new TlsPeers(2000)) {
            int before = p.deliveredAtB();
            try (Socket s = socketFrom("127.0.0.4", p.listenAddress())) {
                ByteArrayOutputStream w = new ByteArrayOutputStream();
                frame(w, Envelopes.handshake(ResiCodec.VERSION_MAJOR, ResiCodec.VERSION_MINOR, "gw-a", List.of(),
                        List.of(), List.of(), 1, 42, 1, true, 0));
                frame(w, Envelope.newBuilder().setSeq(1).setRp(ResiCodec.toProto(Message.builder(Verb.PUT,
                        Path.of("/leds/0"), Path.of("/x")).body(BodyType.JSON, "false".getBytes(StandardCharsets.UTF_8))
                        .build())).build().toByteArray());
                s.getOutputStream().write(w.toByteArray());
                s.getOutputStream().flush();
                assertClosed(s);
            }
            TlsPeers.await(() -> p.refusedAtB.count(PeerTls.NOT_TLS) == 1, 10_000, "refused as not TLS: " + p.refusedAtB);
            assertEquals(before, p.deliveredAtB(), "nothing was delivered from it");
            assertEquals(0, p.b.health().refusals(), "its handshake was never read");
            assertEquals(0, p.b.health().garbage(), "its bytes were never framed");
            assertEquals(List.of(Transport.State.CONNECTING, Transport.State.UP), p.b0.states());
        }
    }

    @Test
    void slowHandshakesAreClosedAtTheirDeadlineAndOneAddressHoldsAtMostFour() throws Exception {
        try (TlsPeers p = new TlsPeers(2000)) {
            List<Socket> silent = new ArrayList<>();
            try {
                for (int i = 0; i < 6; i++) {
                    silent.add(socketFrom("127.0.0.5", p.listenAddress()));
                }
                TlsPeers.await(() -> p.refusedAtB.count(TcpGuard.TOO_MANY_FROM_SOURCE) == 2, 10_000,
                        "two over the per-source limit refused: " + p.refusedAtB);
                for (Socket s : silent) {
                    assertClosed(s); // two at once, four when their handshake deadline passes
                }
            } finally {
                for (Socket s : silent) {
                    s.close();
                }
            }
            TlsPeers.await(() -> p.refusedAtB.count(PeerTls.HANDSHAKE_TIMEOUT) == 4, 10_000,
                    "four handshakes out of time: " + p.refusedAtB);
            // the address's connections were released: it is admitted again (and refused for its key)
            TcpTransport again = p.attacker(TlsPeers.STRANGER, "127.0.0.5", new TlsPeers.Refusals());
            again.start();
            TlsPeers.await(() -> p.refusedAtB.count(PeerTls.UNTRUSTED_KEY) >= 1, 10_000, "admitted again");
            again.stop();
            assertEquals(2, p.refusedAtB.count(TcpGuard.TOO_MANY_FROM_SOURCE));
            assertEquals(List.of(Transport.State.CONNECTING, Transport.State.UP), p.b0.states());
        }
    }

    @Test
    void aConnectorRefusesAServerWithoutThePeersKey() throws Exception {
        try (TlsPeers p = new TlsPeers(2000)) {
            LinkOptions o = LinkOptions.defaults();
            // A's view: gw-b is KB; gw-c is KC (a trusted key, but not gw-b's)
            PeerTls tlsA = PeerTls.create(NodeKeys.of(TlsPeers.KA,
                    Map.of("gw-b", TlsPeers.KB.getPublic(), "gw-c", TlsPeers.KC.getPublic())), "gw-a");
            for (var impostor : Map.of(PeerTls.UNTRUSTED_KEY, TlsPeers.STRANGER, PeerTls.WRONG_PEER, TlsPeers.KC)
                    .entrySet()) {
                PeerTls fake = PeerTls.create(NodeKeys.of(impostor.getValue(), Map.of("gw-a", TlsPeers.KA.getPublic())),
                        "gw-b");
                TcpTransport server = new TcpTransport(0, TcpTransport.Role.LISTEN, new InetSocketAddress("127.0.0.1", 0),
                        Optional.empty(), 200, p.group, o.maxEnvelope(), o.maxQueuedBytes(),
                        TcpGuard.tls(fake.serverFor("gw-a"), 2000, PeerTls::reason, new TlsPeers.Refusals()));
                server.setReceiver(TlsPeers.quiet(new ArrayList<>()));
                server.start();
                TlsPeers.Refusals refused = new TlsPeers.Refusals();
                TcpTransport client = new TcpTransport(0, TcpTransport.Role.CONNECT, server.localAddress().orElseThrow(),
                        Optional.empty(), 100, p.group, o.maxEnvelope(), o.maxQueuedBytes(),
                        TcpGuard.tls(tlsA.clientFor("gw-b"), 2000, PeerTls::reason, refused));
                List<Transport.State> states = new ArrayList<>();
                client.setReceiver(TlsPeers.quiet(states));
                client.start();
                TlsPeers.await(() -> refused.count(impostor.getKey()) >= 3, 20_000,
                        "A refuses the impostor's key (" + impostor.getKey() + ") at every reconnect: " + refused);
                client.stop();
                server.stop();
                synchronized (states) {
                    assertFalse(states.contains(Transport.State.UP), "A never took the impostor for gw-b: " + states);
                }
            }
        }
    }

    @Test
    void opensslSeesTls13AndIsRefusedWithoutATrustedKey() throws Exception {
        try (TlsPeers p = new TlsPeers(5000)) {
            Process openssl = new ProcessBuilder("openssl", "s_client", "-connect",
                    "127.0.0.1:" + p.listenAddress().getPort(), "-brief").redirectErrorStream(true).start();
            openssl.getOutputStream().close();
            String out = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(openssl.waitFor(30, TimeUnit.SECONDS));
            assertTrue(out.contains("Protocol version: TLSv1.3"), out);
            assertTrue(out.contains("Signature type: ed25519"), "the node's Ed25519 key signs the handshake: " + out);
            assertTrue(out.contains("Peer certificate: CN = gw-b"), out);
            TlsPeers.await(() -> !p.refusedAtB.byReason.isEmpty(), 10_000, "openssl refused");
            assertEquals(1, p.refusedAtB.count(PeerTls.TLS_FAILED), p.refusedAtB.toString());
            assertTrue(p.refusedAtB.lastDetail.contains("certificate"), "refused for showing no key: " + p.refusedAtB);
            assertEquals(List.of(Transport.State.CONNECTING, Transport.State.UP), p.b0.states());
        }
    }

    private static Message numbered(long i) {
        return Message.builder(Verb.POST, Path.of("/in"), Path.of("/#requests/1"))
                .body(BodyType.OCTETS, ByteBuffer.allocate(8).putLong(i).array()).build();
    }

    private static Socket socketFrom(String source, InetSocketAddress to) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        s.connect(to, 5000);
        s.setSoTimeout(20_000);
        return s;
    }

    /** The server closed {@code s}: a read ends (EOF or reset) without a single byte of RESI. */
    private static void assertClosed(Socket s) {
        try {
            InputStream in = s.getInputStream();
            int total = 0;
            for (int r = in.read(new byte[4096]); r >= 0; r = in.read(new byte[4096])) {
                total += r;
            }
            assertFalse(total > 4096, "no stream of envelopes came back (" + total + " bytes)");
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection", e);
        } catch (IOException e) {
            // reset: closed too
        }
    }

    private static void frame(ByteArrayOutputStream w, byte[] envelope) {
        int v = envelope.length;
        while ((v & ~0x7F) != 0) {
            w.write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        w.write(v);
        w.writeBytes(envelope);
    }
}

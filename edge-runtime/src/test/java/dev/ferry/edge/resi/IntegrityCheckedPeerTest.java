package dev.ferry.edge.resi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.config.PeerConfig;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.proto.resi.Envelope;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a peer link does with copies that fail their integrity check, played by a hostile (or just
 * corrupting) peer through {@link ScriptedTransport}: a peer that announced checks cannot get a
 * copy in without a valid one; enough bad copies make the transport FAILING (reset once, counted,
 * in the metrics); an older peer that restarts without checks is taken again.
 */
@Tag("small")
class IntegrityCheckedPeerTest {
    private static final long FIRST = 1000;

    private EventLoopGroup group;
    private ScriptedTransport t;
    private PeerLink link;
    private final Metrics metrics = new Metrics();
    private final BlockingQueue<Message> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        t = new ScriptedTransport(0);
        // pings every minute: nobody answers them here, and the path must not go silent during a test
        PeerConfig cfg = new PeerConfig("gw-b", PeerConfig.Mode.STRICT, 1000, 60_000, 3, 64, 256,
                List.of(), List.of(), List.of(), 3, 4096);
        link = new PeerLink(cfg, "gw-a", Path.of("/b"), List.of(t), group, LinkOptions.defaults(), System::nanoTime);
        link.exportMetrics(metrics);
        link.start((l, m) -> received.add(m));
        t.up();
    }

    @AfterEach
    void stop() {
        link.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aPeerThatSendsChecksGetsNothingInWithoutAValidOne() throws Exception {
        t.arrive(handshake(77, List.of(1, 2)));
        byte[] flipped = sealed(FIRST, "one");
        flipped[flipped.length - 1] ^= 0x04;
        t.arrive(unsealed(FIRST, "one"), flipped);
        assertNull(received.poll(200, TimeUnit.MILLISECONDS), "neither the unchecked nor the corrupt copy");
        t.arrive(sealed(FIRST, "one"));
        assertEquals("one", body(received.poll(5, TimeUnit.SECONDS)));
        LinkHealth h = link.health();
        assertTrue(h.peerChecks());
        assertEquals(2, h.transports().get(0).badCopies());
        assertEquals("LIVE", h.transports().get(0).state(), "2 bad of max_bad_copies = 3");
        assertEquals(1, metrics.value("ferry_resi_bad_copies_total{peer=\"gw-b\",transport=\"0\",reason=\"crc\"}"));
        assertEquals(1, metrics.value("ferry_resi_bad_copies_total{peer=\"gw-b\",transport=\"0\",reason=\"no_crc\"}"));
        // everything this side sent carries a valid check
        synchronized (t) {
            for (byte[] e : t.sent) {
                assertEquals(EnvelopeCheck.Verdict.OK, Arrival.skim(e).integrity());
            }
        }
    }

    @Test
    void enoughBadCopiesMakeTheTransportFailingOnceAndResetIt() throws Exception {
        t.arrive(handshake(77, List.of(1, 2)));
        for (int i = 0; i < 5; i++) {
            byte[] bad = sealed(FIRST + i, "x");
            bad[3] ^= 0x10;
            t.arrive(bad);
        }
        assertFalse(link.health().transports().get(0).live());
        assertEquals(5, link.health().transports().get(0).badCopies());
        assertEquals("copies keep failing their integrity check", t.resets.poll(5, TimeUnit.SECONDS),
                "reset on the transition");
        assertNull(t.resets.poll(200, TimeUnit.MILLISECONDS), "once");
        assertEquals(1, metrics.value("ferry_resi_live_set_changes_total{peer=\"gw-b\",transport=\"0\","
                + "change=\"left\"}"));
        // it reconnects and handshakes: it carries again, but stays out of the live set, and says why
        t.up();
        t.arrive(handshake(77, List.of(1, 2)));
        LinkHealth h = link.health();
        assertEquals("FAILING", h.transports().get(0).state());
        assertFalse(h.transports().get(0).live());
    }

    @Test
    void anOlderPeerWithoutChecksIsTakenAsItIsAfterItRestarts() throws Exception {
        t.arrive(handshake(77, List.of(1, 2)));
        t.arrive(sealed(FIRST, "new"));
        assertEquals("new", body(received.poll(5, TimeUnit.SECONDS)));
        // the peer restarts as an older Ferry: a new session, no extension 2, no checks
        t.arrive(unsealedHandshake(78), unsealed(FIRST, "old"));
        assertEquals("old", body(received.poll(5, TimeUnit.SECONDS)));
        assertFalse(link.health().peerChecks());
        assertEquals(0, link.health().transports().get(0).badCopies());
    }

    private static byte[] handshake(long session, List<Integer> extensions) {
        LinkOptions o = LinkOptions.defaults();
        return Envelopes.handshake(o.versionMajor(), o.versionMinor(), "gw-b", extensions, List.of(), List.of(), 1,
                session, FIRST, false, 0);
    }

    private static byte[] unsealedHandshake(long session) {
        byte[] sealed = handshake(session, List.of(1));
        return java.util.Arrays.copyOf(sealed, sealed.length - EnvelopeCheck.FIELD_BYTES); // the check is at the end
    }

    private static Envelope.Builder rpBody(String text) {
        Message m = Message.builder(Verb.POST, Path.of("/b/in"), Path.of("/#requests/1"))
                .body(BodyType.OCTETS, text.getBytes(StandardCharsets.UTF_8)).build();
        return Envelope.newBuilder().setRp(ResiCodec.toProto(m));
    }

    private static byte[] sealed(long seq, String text) {
        return SequencedEnvelope.stamp(seq, 0, SequencedEnvelope.body(rpBody(text)));
    }

    private static byte[] unsealed(long seq, String text) {
        return rpBody(text).setSeq(seq).build().toByteArray();
    }

    private static String body(Message m) {
        assertNotNull(m, "a message was expected");
        return new String(m.body(), StandardCharsets.UTF_8);
    }
}

package dev.ferry.edge.resi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.config.PeerConfig;
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
 * The envelopes of one socket read reach a peer link as one batch ({@link TransportEvents}): what
 * needs no parse is done first, but nothing overtakes a handshake, and garbage in a stream drops
 * the rest of its read. The peer is played by the test through {@link ScriptedTransport}.
 */
@Tag("small")
class TransportEventsBatchTest {
    private static final long PEER_SESSION = 77;
    private static final long PEER_FIRST_SEQ = 1000;

    private EventLoopGroup group;
    private ScriptedTransport t;
    private PeerLink link;
    private final BlockingQueue<Message> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        t = new ScriptedTransport(0);
        PeerConfig cfg = new PeerConfig("gw-b", PeerConfig.Mode.PERMISSIVE, 1000, 100, 3, 64, 256,
                List.of(), List.of(), List.of());
        link = new PeerLink(cfg, "gw-a", Path.of("/b"), List.of(t), group, LinkOptions.defaults(), System::nanoTime);
        link.start((l, m) -> received.add(m));
        t.up();
    }

    @AfterEach
    void stop() {
        link.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void messagesInTheSameReadAsTheHandshakeAreNotTakenForEarlyOnes() throws Exception {
        t.arrive(handshake(), rp(PEER_FIRST_SEQ, "one"), rp(PEER_FIRST_SEQ + 1, "two"), Envelopes.ack(0));
        assertEquals("one", body(received.poll(5, TimeUnit.SECONDS)));
        assertEquals("two", body(received.poll(5, TimeUnit.SECONDS)));
        synchronized (link) {
            assertEquals(0, link.counters().beforeHandshake);
            assertEquals(2, link.counters().delivered);
        }
        assertTrue(link.live());
    }

    @Test
    void garbageInAReadResetsTheStreamAndDropsTheRestOfThatRead() throws Exception {
        t.arrive(handshake());
        byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff};
        t.arrive(rp(PEER_FIRST_SEQ, "before"), garbage, rp(PEER_FIRST_SEQ + 1, "after"));
        assertEquals("before", body(received.poll(5, TimeUnit.SECONDS)));
        assertEquals(1, t.resets.size(), "the stream is reset once");
        synchronized (link) {
            assertEquals(1, link.counters().garbage);
            assertEquals(1, link.counters().delivered, "nothing after the garbage was taken from that read");
        }
        // the peer reconnects and resends what we never acknowledged: it arrives, once, in order
        t.up();
        t.arrive(handshake(), rp(PEER_FIRST_SEQ + 1, "after"), rp(PEER_FIRST_SEQ + 2, "next"));
        assertEquals("after", body(received.poll(5, TimeUnit.SECONDS)));
        assertEquals("next", body(received.poll(5, TimeUnit.SECONDS)));
        assertNull(received.poll(100, TimeUnit.MILLISECONDS));
    }

    @Test
    void twoCopiesAndABareAckInOneReadDeliverOnce() throws Exception {
        t.arrive(handshake());
        byte[] one = rp(PEER_FIRST_SEQ, "one");
        t.arrive(one, one, Envelopes.ack(0));
        assertEquals("one", body(received.poll(5, TimeUnit.SECONDS)));
        assertNull(received.poll(100, TimeUnit.MILLISECONDS));
        synchronized (link) {
            assertEquals(1, link.counters().delivered);
            assertEquals(1, link.window().merge().duplicates());
        }
    }

    private static byte[] handshake() {
        LinkOptions o = LinkOptions.defaults();
        return Envelopes.handshake(o.versionMajor(), o.versionMinor(), "gw-b", List.of(), List.of(), List.of(), 1,
                PEER_SESSION, PEER_FIRST_SEQ, false, 0);
    }

    private static byte[] rp(long seq, String text) {
        Message m = Message.builder(Verb.POST, Path.of("/b/in"), Path.of("/#requests/1"))
                .body(BodyType.OCTETS, text.getBytes(StandardCharsets.UTF_8)).build();
        return Envelope.newBuilder().setSeq(seq).setRp(ResiCodec.toProto(m)).build().toByteArray();
    }

    private static String body(Message m) {
        assertNotNull(m, "a message was expected");
        return new String(m.body(), StandardCharsets.UTF_8);
    }
}

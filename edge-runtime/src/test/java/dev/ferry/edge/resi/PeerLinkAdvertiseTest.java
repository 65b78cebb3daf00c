package dev.ferry.edge.resi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.edge.config.PeerConfig;
import dev.ferry.edge.proto.resi.Envelope;
import dev.ferry.edge.proto.resi.Intent;
import dev.ferry.edge.runtime.Json;
import dev.ferry.edge.transport.VarintFrameDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Changing the advertised route prefixes after the handshake, over a real loopback link. */
@Tag("system")
class PeerLinkAdvertiseTest {

    private static boolean peerSees(PeerLink at, List<String> offers, List<String> wants) {
        LinkHealth h = at.health();
        return h.peerOffers().equals(offers) && h.peerWants().equals(wants);
    }

    @Test
    void thePeerSeesNewOffersAndWantsAndKeepsThemAcrossAReconnect() throws Exception {
        try (LinkPair lp = new LinkPair(PeerConfig.Mode.PERMISSIVE, false, 64, 50, LinkOptions.defaults())) {
            List<String> configured = lp.a.config().offers();
            assertEquals(configured, lp.b.health().peerOffers()); // from A's handshake
            lp.a.advertise(List.of("/sensors", "/leds"), List.of("/time"));
            LinkPair.await(() -> peerSees(lp.b, List.of("/sensors", "/leds"), List.of("/time")), 5000,
                    "B sees A's new offers and wants");
            assertEquals(List.of("/sensors", "/leds"), lp.a.health().offers());
            assertEquals(List.of("/time"), lp.a.health().wants());
            String json = new String(Json.bytes(g -> lp.b.health().write(g)), StandardCharsets.UTF_8);
            assertEquals(true, json.contains("\"peerOffers\":[\"/sensors\",\"/leds\"]"), json);

            lp.a.advertise(List.of(), List.of("/time", "/logs"));
            LinkPair.await(() -> peerSees(lp.b, List.of(), List.of("/time", "/logs")), 5000, "second change");

            // a reconnect (new handshake on transport 0) carries the newest lists, not the configured ones
            lp.p0.closeConnections();
            LinkPair.await(() -> lp.p0.connections() == 1 && LinkPair.allLive(lp.a) && LinkPair.allLive(lp.b), 10_000,
                    "transport 0 reconnected");
            lp.a.advertise(List.of("/x"), List.of()); // and a change after the reconnect still goes through
            LinkPair.await(() -> peerSees(lp.b, List.of("/x"), List.of()), 5000, "change after reconnect");
        }
    }

    @Test
    void aStaleCopyDoesNotUndoANewerList() throws Exception {
        try (LinkPair lp = new LinkPair(PeerConfig.Mode.STRICT, false, 64, 50, LinkOptions.defaults())) {
            lp.a.advertise(List.of("/new"), List.of("/w"));
            LinkPair.await(() -> peerSees(lp.b, List.of("/new"), List.of("/w")), 5000, "B sees the change");
            // the frames below go down transport 0 only: it must be handshaken, or B drops them as
            // arriving before the handshake (the link may be up on transport 1 alone by now)
            LinkPair.await(() -> LinkPair.allLive(lp.a) && LinkPair.allLive(lp.b), 10_000, "both transports live");
            // an older version (as if delayed on a slower transport) arrives afterwards, then, on the
            // same stream, an unversioned single Intent: once B shows it, the stale ones were handled.
            // A's own full list (a handshake or advertisement still on its way) may replace the
            // marker, as a full list does: then all three go again, stale copies first
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (!lp.b.health().peerOffers().contains("/marker")) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("B never showed the marker; B's link: " + lp.b.health());
                }
                lp.p0.injectToServer(frame(Envelopes.intents(List.of("/old"), 1)));
                lp.p0.injectToServer(frame(Envelopes.interests(List.of("/old"), 1)));
                lp.p0.injectToServer(frame(EnvelopeCheck.seal(Envelope.newBuilder().setIntent(Intent.newBuilder()
                        .setPrefix("/marker")).build().toByteArray())));
                try {
                    LinkPair.await(() -> lp.b.health().peerOffers().contains("/marker"), 1000, "marker handled");
                } catch (AssertionError notYet) {
                    // again, until the deadline
                }
            }
            assertEquals(List.of("/new", "/marker"), lp.b.health().peerOffers());
            assertEquals(List.of("/w"), lp.b.health().peerWants());
        }
    }

    @Test
    void tooManyPrefixesAreRefused() throws Exception {
        try (LinkPair lp = new LinkPair(PeerConfig.Mode.PERMISSIVE, false, 64, 50, LinkOptions.defaults())) {
            List<String> many = Collections.nCopies(257, "/p");
            assertThrows(IllegalArgumentException.class, () -> lp.a.advertise(many, List.of()));
            assertEquals(lp.a.config().offers(), lp.a.health().offers());
        }
    }

    private static byte[] frame(byte[] envelope) {
        ByteBuf b = Unpooled.buffer();
        VarintFrameDecoder.writeFrame(b, envelope);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }
}

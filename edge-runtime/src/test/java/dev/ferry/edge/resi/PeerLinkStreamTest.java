package dev.ferry.edge.resi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.config.PeerConfig;
import dev.ferry.edge.transport.proxy.TcpFaultProxy;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A continuous stream of numbered RP messages from A to B arrives complete, in order, without
 * duplicates while transport 1 is black-holed, then closed, then restored mid-stream.
 */
@Tag("system")
class PeerLinkStreamTest {
    static final int N = 10_000;

    static Message numbered(int i) {
        return Message.builder(Verb.POST, Path.of("/b/in"), Path.of("/#requests/" + (i % 64)))
                .body(BodyType.TEXT, ("m-" + i).getBytes(StandardCharsets.UTF_8)).build();
    }

    static void assertInOrder(List<Message> got, int n) {
        assertEquals(n, got.size(), "delivered count");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String body = new String(got.get(i).body(), StandardCharsets.UTF_8);
            assertEquals("m-" + i, body, "message " + i);
            assertTrue(seen.add(body));
        }
    }

    @ParameterizedTest(name = "{0} udp={1}")
    @CsvSource({"PERMISSIVE,false", "STRICT,false", "PERMISSIVE,true", "STRICT,true"})
    void streamSurvivesLosingOneTransport(PeerConfig.Mode mode, boolean udp) throws Exception {
        try (LinkPair lp = new LinkPair(mode, udp, 256, 40, LinkOptions.defaults())) {
            for (int i = 0; i < N; i++) {
                if (i == 2000) {
                    lp.p1ToServer().blackHole(true);
                    lp.p1ToClient().blackHole(true);
                }
                if (i == 4000) {
                    LinkPair.await(() -> !LinkPair.transportLive(lp.a, 1) && !LinkPair.transportLive(lp.b, 1), 10_000,
                            "transport 1 declared dead on both sides");
                    // its socket is still up, but it says why it left the live set (issue 15: it showed UP)
                    LinkPair.await(() -> "SILENT".equals(lp.a.health().transports().get(1).state())
                            && "SILENT".equals(lp.b.health().transports().get(1).state()), 10_000,
                            "transport 1 shown SILENT on both sides");
                    if (lp.p1 instanceof TcpFaultProxy t) {
                        t.refuse(true);
                        t.closeConnections();
                    }
                }
                if (i == 6000) {
                    lp.p1ToServer().heal();
                    lp.p1ToClient().heal();
                    if (lp.p1 instanceof TcpFaultProxy t) {
                        t.refuse(false);
                    }
                }
                if (i == 8000) {
                    LinkPair.await(() -> LinkPair.allLive(lp.a) && LinkPair.allLive(lp.b), 10_000,
                            "transport 1 back on both sides");
                }
                LinkPair.send(lp.a, numbered(i));
            }
            LinkPair.await(() -> lp.atB.count() >= N, 60_000, "all messages at B");
            assertInOrder(lp.atB.snapshot(), N);
            LinkHealth hb = lp.b.health();
            LinkHealth ha = lp.a.health();
            assertEquals(0, hb.mismatches(), hb.toString());
            // both transports carried copies: permissive drops the later copy (duplicatesDropped),
            // strict takes it into the window to compare (copiesMerged counts it)
            assertTrue(hb.copiesMerged() + hb.duplicatesDropped() > N, "second copies seen: " + hb);
            assertEquals(N, ha.sent());
            assertEquals(N, hb.delivered());
            // transport 1 is back (awaited: with 40 ms pings a loaded machine can make it flap for a moment)
            LinkPair.await(() -> LinkPair.transportLive(lp.a, 1) && LinkPair.transportLive(lp.b, 1), 10_000,
                    "transport 1 live at the end");
            LinkPair.await(() -> lp.a.health().unacked() == 0, 10_000, "everything acknowledged");
        }
    }
}

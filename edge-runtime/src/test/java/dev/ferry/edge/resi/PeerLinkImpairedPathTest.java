package dev.ferry.edge.resi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.config.PeerConfig;
import dev.ferry.edge.transport.proxy.FaultPlan;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A continuous stream of numbered messages arrives complete, in order and once while transport 1
 * is impaired in both directions the whole time (envelopes dropped, duplicated, swapped or
 * delayed) and transport 0 is killed mid-stream and later restored, so that for a while the
 * impaired path carries everything. Permissive and strict, over TCP and UDP.
 */
@Tag("system")
class PeerLinkImpairedPathTest {
    static final int N = 4_000;

    @ParameterizedTest(name = "{0} udp={1} {2}")
    @CsvSource({
        "PERMISSIVE,false,drop", "STRICT,true,drop",
        "PERMISSIVE,true,duplicate", "STRICT,false,duplicate",
        "PERMISSIVE,false,reorder", "STRICT,true,reorder",
        "PERMISSIVE,true,delay", "STRICT,false,delay"})
    void streamArrivesWholeOverAnImpairedPathWhileTheOtherIsKilled(PeerConfig.Mode mode, boolean udp, String fault)
            throws Exception {
        try (LinkPair lp = new LinkPair(mode, udp, 256, 40, LinkOptions.defaults())) {
            impair(lp.p1ToServer(), fault);
            impair(lp.p1ToClient(), fault);
            for (int i = 0; i < N; i++) {
                if (i == N / 4) {
                    lp.p0.toServer.blackHole(true);
                    lp.p0.toClient.blackHole(true);
                }
                if (i == N / 2) {
                    LinkPair.await(() -> !LinkPair.transportLive(lp.a, 0) && !LinkPair.transportLive(lp.b, 0), 10_000,
                            "transport 0 declared dead on both sides");
                    lp.p0.refuse(true);
                    lp.p0.closeConnections();
                }
                if (i == 5 * N / 8) {
                    lp.p0.toServer.heal();
                    lp.p0.toClient.heal();
                    lp.p0.refuse(false);
                }
                if (i == 3 * N / 4) {
                    LinkPair.await(() -> LinkPair.transportLive(lp.a, 0) && LinkPair.transportLive(lp.b, 0), 10_000,
                            "transport 0 back on both sides");
                }
                LinkPair.send(lp.a, PeerLinkStreamTest.numbered(i));
            }
            LinkPair.await(() -> lp.atB.count() >= N, 60_000, "all messages at B");
            PeerLinkStreamTest.assertInOrder(lp.atB.snapshot(), N);
            LinkHealth hb = lp.b.health();
            assertEquals(N, hb.delivered(), hb.toString());
            assertEquals(0, hb.mismatches(), hb.toString());
            assertTrue(lp.p1ToServer().passed() > N / 2, "the impaired path carried the stream");
            if (fault.equals("drop")) {
                assertTrue(lp.p1ToServer().dropped() > 0, "the impairment really dropped envelopes");
            }
            LinkPair.await(() -> lp.a.health().unacked() == 0, 10_000, "everything acknowledged");
        }
    }

    private static void impair(FaultPlan p, String fault) {
        switch (fault) {
            case "drop" -> p.drop(0.03);
            case "duplicate" -> p.duplicate(0.2);
            case "reorder" -> p.reorder(true);
            case "delay" -> p.delay(15);
            default -> throw new IllegalArgumentException(fault);
        }
    }
}

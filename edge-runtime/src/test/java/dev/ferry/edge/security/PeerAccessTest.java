package dev.ferry.edge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.route.Principal;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The PEER rule: only what is offered, the gateway's own /# namespaces only by name. */
@Tag("small")
class PeerAccessTest {
    private final Metrics metrics = new Metrics();
    private final Map<String, List<Path>> offers = Map.of(
            "garage", List.of(Path.of("/kitchen"), Path.of("/#runtime/devices")),
            "all", List.of(Path.ROOT),
            "resi", List.of());
    private final PeerAccess access = new PeerAccess(id -> offers.getOrDefault(id, List.of()), metrics);

    private String refuse(String peer, String path) {
        return access.refuse(Principal.peer(peer), Verb.PUT, Path.of(path));
    }

    @Test
    void aPeerReachesWhatIsOfferedToItAndNothingElse() {
        assertNull(refuse("garage", "/kitchen"));
        assertNull(refuse("garage", "/kitchen/thermo/temp"));
        assertNull(refuse("garage", "/kitchen/thermo#schema"));
        assertNull(refuse("garage", "/#runtime/devices"));
        assertEquals("/kitchenette is not offered to peer garage", refuse("garage", "/kitchenette"));
        assertTrue(refuse("garage", "/#runtime/peers/garage") != null);
        assertTrue(refuse("garage", "/#runtime") != null, "the parent of an offered path is not offered");
        assertTrue(refuse("resi", "/kitchen") != null, "a peer offered nothing reaches nothing");
        assertTrue(refuse("stranger", "/kitchen") != null, "a peer without a link reaches nothing");
        assertEquals(3, metrics.value("ferry_peer_denied_total{peer=\"garage\"}"));
        assertEquals(1, metrics.value("ferry_peer_denied_total{peer=\"resi\"}"));
    }

    @Test
    void offeringTheRootOffersEveryPathButTheGatewaysOwn() {
        assertNull(refuse("all", "/dev0/leds/0"));
        assertNull(refuse("all", "/"));
        for (String own : List.of("/#runtime/routes", "/#peers/garage/kitchen", "/#lan/1/1", "/#requests/1")) {
            assertTrue(refuse("all", own) != null, own);
        }
    }

    @Test
    void onlyPeersAreJudgedHere() {
        assertTrue(access.refuse(Principal.client("alice"), Verb.GET, Path.of("/kitchen")) != null);
    }
}

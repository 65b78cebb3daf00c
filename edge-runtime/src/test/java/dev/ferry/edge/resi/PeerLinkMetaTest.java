package dev.ferry.edge.resi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ferry.edge.config.PeerConfig;
import dev.ferry.edge.route.Meta;
import dev.ferry.edge.route.Principal;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Cache hints and freshness cross a real link (strict mode: every copy carries them alike). */
@Tag("system")
class PeerLinkMetaTest {
    @Test
    void metaTravelsBesideTheMessageAndThePrincipalIsTheReceiversName() throws Exception {
        try (LinkPair lp = new LinkPair(PeerConfig.Mode.STRICT, true, 64, 50, LinkOptions.defaults())) {
            Message get = Message.builder(Verb.GET, Path.of("/dev0/t"), Path.of("/b#obs/1")).eof(false).build();
            Message rep = Message.builder(Verb.REP, Path.of("/x"), Path.of("/dev0/t#obs/k")).eof(false).build();
            LinkPair.send(lp.a, get);
            lp.a.deliver(get, new Meta(Principal.client("ignored"), 5000, true, -1, false, false));
            lp.a.deliver(rep, Meta.of(Principal.RUNTIME).withFreshness(250, true, true));
            LinkPair.await(() -> lp.atB.count() == 3, 10_000, "three messages at B");
            synchronized (lp.atB) {
                assertEquals(get, lp.atB.messages.get(0));
                assertNull(lp.atB.metas.get(0), "nothing said, nothing carried");
                assertEquals(new Meta(Principal.peer("gw-a"), 5000, true, -1, false, false), lp.atB.metas.get(1));
                assertEquals(rep, lp.atB.messages.get(2));
                assertEquals(new Meta(Principal.peer("gw-a"), -1, false, 250, true, true), lp.atB.metas.get(2));
            }
            assertEquals(0, lp.b.health().mismatches(), "the copies on both transports were identical");
        }
    }
}

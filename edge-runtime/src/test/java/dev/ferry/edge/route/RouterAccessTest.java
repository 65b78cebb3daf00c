package dev.ferry.edge.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.metrics.Metrics;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The router's authorization: the policy, stream ownership, and replies nobody asked for. */
@Tag("small")
class RouterAccessTest {
    private static final Principal ALICE = Principal.client("alice");
    private static final Principal MALLORY = Principal.client("mallory");

    private final Metrics metrics = new Metrics();
    private QueueEndpoint lan;
    private QueueEndpoint dev;
    private QueueEndpoint other;
    private Router router;

    @BeforeEach
    void setUp() {
        lan = new QueueEndpoint("lan", "/#lan", 8);
        dev = new QueueEndpoint("device:dev0", "/dev0", 8);
        other = new QueueEndpoint("device:dev1", "/dev1", 8);
        router = new Router(RouteTable.of(List.of(Route.mount(Path.of("/#lan"), "lan"),
                Route.mount(Path.of("/dev0"), "device:dev0"), Route.mount(Path.of("/dev1"), "device:dev1"))),
                new StreamTable(16), metrics, 1_000_000_000L, System::nanoTime);
        router.attach(lan);
        router.attach(dev);
        router.attach(other);
        // alice may do anything under /dev0; mallory only read /dev0/sensors
        router.policy((who, verb, to) -> who.equals(ALICE) || (verb == Verb.GET
                && Paths.covers(Path.of("/dev0/sensors"), to)) ? null : "not in " + who + "'s scope");
    }

    private static Message msg(Verb v, String to, String from, boolean eof, String body) {
        Message.Builder b = Message.builder(v, Path.of(to), Path.of(from)).eof(eof);
        return body == null ? b.build() : b.body(BodyType.JSON, body.getBytes(StandardCharsets.UTF_8)).build();
    }

    @Test
    void policyRefusalIsAn403ToTheSenderCountedByKind() {
        assertFalse(router.send(lan, msg(Verb.PUT, "/dev0/leds/0", "/2/1", true, "true"), Meta.of(MALLORY)));
        Message err = lan.take();
        assertEquals(Verb.ERROR, err.verb());
        assertEquals(403, err.status());
        assertEquals("/2/1", err.to().toString());
        assertNull(dev.take(), "a refused request never reaches the device");
        assertEquals(1, metrics.value("ferry_router_denied_total{principal=\"client\"}"));
        assertEquals(0, router.streams().size(), "a refused request opens no exchange");

        assertTrue(router.send(lan, msg(Verb.GET, "/dev0/sensors/temp", "/2/2", true, null), Meta.of(MALLORY)));
        assertEquals("/sensors/temp", dev.take().to().toString());
    }

    @Test
    void onlyTheOwnerMayPauseOrCancelItsStream() {
        assertTrue(router.send(lan, msg(Verb.GET, "/dev0/leds/0", "/1/1", false, null), Meta.of(ALICE)));
        dev.take();
        assertTrue(router.send(dev, msg(Verb.REP, "/#lan/1/1", "/leds/0#streams/7", false, "true")));
        lan.take();
        StreamTable.Entry e = router.streams().byStream(Path.of("/dev0/leds/0#streams/7"));
        assertEquals(ALICE, e.owner());

        // mallory may read /dev0/sensors only, and the stream is not hers either way
        assertFalse(router.send(lan, msg(Verb.DELETE, "/dev0/leds/0#streams/7", "/2/5", true, null), Meta.of(MALLORY)));
        assertEquals(403, lan.take().status());
        assertFalse(router.send(lan, msg(Verb.PUT, "/dev0/leds/0/#streams/7/#flow", "/2/6", true, "false"),
                Meta.of(MALLORY)));
        assertEquals(403, lan.take().status());
        assertNull(dev.take());

        // the owner may, and so may the gateway itself
        assertTrue(router.send(lan, msg(Verb.PUT, "/dev0/leds/0#streams/7#flow", "/1/2", true, "false"), Meta.of(ALICE)));
        assertEquals("/leds/0#streams/7#flow", dev.take().to().toString());
        assertTrue(router.send(lan, msg(Verb.DELETE, "/dev0/leds/0#streams/7", "/0/1", true, null),
                Meta.of(Principal.RUNTIME)));
        assertEquals(Verb.DELETE, dev.take().verb());
    }

    @Test
    void aStreamOwnedByOneClientIsRefusedToAnotherEvenWithAWidePolicy() {
        router.policy(AccessPolicy.ALLOW_ALL);
        router.send(lan, msg(Verb.GET, "/dev0/sensors/temp", "/1/1", false, null), Meta.of(ALICE));
        router.send(dev, msg(Verb.REP, "/#lan/1/1", "/sensors/temp#streams/1", false, "20"));
        assertFalse(router.send(lan, msg(Verb.DELETE, "/dev0/sensors/temp#streams/1", "/2/1", true, null),
                Meta.of(MALLORY)));
        assertEquals(403, lastOf(lan).status());
    }

    @Test
    void repliesNobodyAskedForAreDroppedAndCounted() {
        // no exchange open at all
        assertFalse(router.send(dev, msg(Verb.REP, "/#lan/1/9", "/x", true, "1")));
        assertNull(lan.take());
        // an exchange open with dev0: dev1 cannot answer it
        router.send(lan, msg(Verb.GET, "/dev0/sensors/temp", "/1/3", true, null), Meta.of(ALICE));
        dev.take();
        assertFalse(router.send(other, msg(Verb.REP, "/#lan/1/3", "/x", true, "666")));
        assertNull(lan.take());
        assertEquals(2, metrics.value("ferry_router_dropped_total{reason=\"unsolicited_reply\"}"));
        assertEquals(1, router.streams().size(), "the forged reply did not close the real exchange");
        assertTrue(router.send(dev, msg(Verb.REP, "/#lan/1/3", "/sensors/temp", true, "21")));
        assertEquals("21", new String(lan.take().body(), StandardCharsets.UTF_8));
    }

    @Test
    void streamOfStripsTheFlowTag() {
        assertEquals(Path.of("/a#streams/3"), Router.streamOf(Path.of("/a/#streams/3/#flow")));
        assertEquals(Path.of("/a#streams/3"), Router.streamOf(Path.of("/a#streams/3")));
    }

    private static Message lastOf(QueueEndpoint q) {
        Message last = null;
        for (Message m = q.take(); m != null; m = q.take()) {
            last = m;
        }
        return last;
    }
}

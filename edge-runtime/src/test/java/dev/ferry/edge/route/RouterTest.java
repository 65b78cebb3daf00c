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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class RouterTest {
    private final AtomicLong now = new AtomicLong();
    private final Metrics metrics = new Metrics();
    private QueueEndpoint lan;
    private QueueEndpoint dev;
    private QueueEndpoint runtime;
    private Router router;

    @BeforeEach
    void setUp() {
        lan = new QueueEndpoint("lan", "/#lan", 8);
        dev = new QueueEndpoint("device:dev0", "/dev0", 2);
        runtime = new QueueEndpoint("runtime", "/", 8);
        RouteTable table = RouteTable.of(List.of(
                Route.mount(Path.of("/#lan"), "lan"),
                Route.mount(Path.of("/dev0"), "device:dev0"),
                new Route(Path.of("/plant"), "device:dev0", Path.of("/plant"), Path.of("/sensors")),
                new Route(Path.of("/#runtime"), "runtime", Path.ROOT, Path.ROOT)));
        router = new Router(table, new StreamTable(3), metrics, 1_000_000L, now::get);
        router.attach(lan);
        router.attach(dev);
        router.attach(runtime);
    }

    private static Message get(String to, String from) {
        return Message.builder(Verb.GET, Path.of(to), Path.of(from)).build();
    }

    private static Message rep(String to, String from, boolean eof) {
        return Message.builder(Verb.REP, Path.of(to), Path.of(from)).eof(eof)
                .body(BodyType.JSON, "1".getBytes(StandardCharsets.UTF_8)).build();
    }

    @Test
    void requestAndReplyAreRewrittenBothWays() {
        assertTrue(router.send(lan, get("/dev0/sensors/temp", "/1/r/1")));
        Message atDevice = dev.take();
        assertEquals("/sensors/temp", atDevice.to().toString());
        assertEquals("/#lan/1/r/1", atDevice.from().toString());
        assertEquals(1, router.streams().size());

        assertTrue(router.send(dev, rep("/#lan/1/r/1", "/sensors/temp#streams/5", true)));
        Message atLan = lan.take();
        assertEquals("/1/r/1", atLan.to().toString());
        assertEquals("/dev0/sensors/temp#streams/5", atLan.from().toString());
        assertEquals(0, router.streams().size(), "EOF reply closes the exchange");
    }

    @Test
    void facadeRouteRewritesPrefix() {
        router.send(lan, get("/plant/temp", "/1/r/2"));
        assertEquals("/sensors/temp", dev.take().to().toString());
    }

    @Test
    void longestPrefixWinsAndTagsMatchAtBoundary() {
        RouteTable t = router.table();
        assertEquals("/dev0", t.lookup(Path.of("/dev0#r/1")).orElseThrow().prefix().toString());
        assertTrue(t.lookup(Path.of("/dev01")).isEmpty());
        assertEquals("runtime", t.lookup(Path.of("/#runtime/routes")).orElseThrow().target());
    }

    @Test
    void unroutableRequestIsAnswered404AndReplyIsDroppedNotAnswered() {
        assertFalse(router.send(lan, get("/nowhere", "/1/r/3")));
        Message err = lan.take();
        assertEquals(Verb.ERROR, err.verb());
        assertEquals(404, err.status());
        assertEquals("/1/r/3", err.to().toString());

        assertFalse(router.send(lan, rep("/nowhere", "/x", true)));
        assertNull(lan.take(), "no ERROR in answer to a REP");
        assertEquals(1, metrics.value("ferry_router_dropped_total{reason=\"undeliverable_reply\"}"));
    }

    @Test
    void downEndpointAndFullQueueAnswer503() {
        dev.live = false;
        router.send(lan, get("/dev0/x", "/1/r/4"));
        assertEquals(503, lan.take().status());
        dev.live = true;
        router.send(lan, get("/dev0/a", "/1/r/5"));
        router.send(lan, get("/dev0/b", "/1/r/6"));
        assertFalse(router.send(lan, get("/dev0/c", "/1/r/7")), "device queue holds 2");
        Message err = lan.take();
        assertEquals(503, err.status());
        assertEquals("/1/r/7", err.to().toString());
    }

    @Test
    void streamTableBoundAnswers503() {
        dev.inbox.clear();
        QueueEndpoint bigDev = dev;
        for (int i = 0; i < 2; i++) {
            router.send(lan, get("/dev0/x", "/1/r/" + (10 + i)));
        }
        bigDev.inbox.clear();
        router.send(lan, get("/dev0/x", "/1/r/12"));
        bigDev.inbox.clear();
        assertEquals(3, router.streams().size());
        assertFalse(router.send(lan, get("/dev0/x", "/1/r/13")));
        assertEquals(503, lan.take().status());
        assertEquals(1, metrics.value("ferry_router_dropped_total{reason=\"streams_full\"}"));
    }

    @Test
    void deviceGoingAwayEndsItsStreamsWithError() {
        router.send(lan, get("/dev0/sensors/temp", "/1/r/20"));
        dev.take();
        router.send(dev, rep("/#lan/1/r/20", "/sensors/temp#streams/1", false));
        lan.take();
        router.endpointDown("device:dev0", "tty vanished");
        Message err = lan.take();
        assertEquals(Verb.ERROR, err.verb());
        assertEquals(503, err.status());
        assertTrue(err.eof());
        assertEquals(0, router.streams().size());
    }

    @Test
    void requesterGoingAwayCancelsTheStreamAtItsSource() {
        router.send(lan, get("/dev0/sensors/temp", "/1/r/21"));
        dev.take();
        router.send(dev, rep("/#lan/1/r/21", "/sensors/temp#streams/2", false));
        lan.take();
        router.endpointDown("lan", "client closed");
        Message cancel = dev.take();
        assertEquals(Verb.DELETE, cancel.verb());
        assertEquals("/sensors/temp#streams/2", cancel.to().toString());
    }

    @Test
    void pendingRequestTimesOutWith504ButOpenStreamDoesNot() {
        router.send(lan, get("/dev0/a", "/1/r/30"));
        router.send(lan, get("/dev0/b", "/1/r/31"));
        router.send(dev, rep("/#lan/1/r/31", "/b#streams/1", false));
        lan.take();
        now.addAndGet(2_000_000L);
        router.expire();
        Message err = lan.take();
        assertEquals(504, err.status());
        assertEquals("/1/r/30", err.to().toString());
        assertNull(lan.take());
        assertEquals(1, router.streams().size());
    }
}

package dev.ferry.edge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.route.Endpoint;
import dev.ferry.edge.route.Route;
import dev.ferry.edge.route.RouteTable;
import dev.ferry.edge.route.Router;
import dev.ferry.edge.route.StreamTable;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class RuntimeResourcesTest {
    /** A client endpoint whose inbox the test waits on. */
    static final class Client implements Endpoint {
        final LinkedBlockingQueue<Message> inbox = new LinkedBlockingQueue<>();

        @Override public String id() {
            return "lan";
        }

        @Override public Path mount() {
            return Path.of("/#lan");
        }

        @Override public boolean deliver(Message m) {
            return inbox.offer(m);
        }

        Message next() throws InterruptedException {
            Message m = inbox.poll(5, TimeUnit.SECONDS);
            assertNotNull(m, "no message within 5 s");
            return m;
        }
    }

    private final Metrics metrics = new Metrics();
    private final AtomicInteger devices = new AtomicInteger();
    private RuntimeResources runtime;
    private Client client;
    private Router router;

    @BeforeEach
    void setUp() {
        runtime = new RuntimeResources(metrics, 64, 2, 3_600_000L);
        runtime.add(new RuntimeResource("devices", g -> {
            g.writeStartObject();
            g.writeNumberField("count", devices.get());
            g.writeEndObject();
        }, false, "{}"));
        client = new Client();
        router = new Router(RouteTable.of(List.of(Route.mount(Path.of("/#lan"), "lan"),
                new Route(Path.of("/#runtime"), "runtime", Path.ROOT, Path.ROOT))),
                new StreamTable(16), metrics, TimeUnit.SECONDS.toNanos(5), System::nanoTime);
        router.attach(client);
        router.attach(runtime);
        runtime.start(router);
    }

    @AfterEach
    void tearDown() {
        runtime.close();
    }

    private void send(Verb verb, String to, String from, boolean eof, String body) {
        Message.Builder b = Message.builder(verb, Path.of(to), Path.of(from)).eof(eof);
        if (body != null) {
            b.body(BodyType.JSON, body.getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(router.send(client, b.build()));
    }

    private static String body(Message m) {
        return new String(m.body(), StandardCharsets.UTF_8);
    }

    @Test
    void readsListsAndDescribesResources() throws Exception {
        send(Verb.GET, "/#runtime/devices", "/r/1", true, null);
        Message m = client.next();
        assertEquals(Verb.REP, m.verb());
        assertEquals("/r/1", m.to().toString());
        assertEquals("{\"count\":0}", body(m));

        send(Verb.GET, "/#runtime", "/r/2", true, null);
        assertEquals("[\"time\",\"devices\"]", body(client.next()));

        send(Verb.GET, "/#runtime/devices/#", "/r/3", true, null);
        assertEquals("[\"schema\",\"streams\"]", body(client.next()));

        send(Verb.GET, "/#runtime/nothing", "/r/4", true, null);
        assertEquals(404, client.next().status());

        send(Verb.POST, "/#runtime/devices", "/r/5", true, "{}");
        assertEquals(405, client.next().status());
    }

    /** Issue 15: the compact time an 8-bit MCU can hold, a bare number of milliseconds (13 bytes). */
    @Test
    void timeHasACompactMemberForMcus() throws Exception {
        long before = System.currentTimeMillis();
        send(Verb.GET, "/#runtime/time/unix_ms", "/r/6", true, null);
        Message m = client.next();
        assertEquals(Verb.REP, m.verb());
        long t = Long.parseLong(body(m));
        assertTrue(t >= before && t <= System.currentTimeMillis(), body(m));
        assertTrue(m.bodyLength() <= 13, "fits FW_TIME_MAX on the Uno (24): " + m.bodyLength());
        send(Verb.GET, "/#runtime/time/other", "/r/7", true, null);
        assertEquals(404, client.next().status());
    }

    @Test
    void observationPushesChangesAndStopsWhenCancelled() throws Exception {
        send(Verb.GET, "/#runtime/devices", "/r/10", false, null);
        Message first = client.next();
        assertFalse(first.eof());
        assertEquals("/#runtime/devices#streams/1", first.from().toString());

        devices.set(3);
        runtime.changed("devices");
        assertEquals("{\"count\":3}", body(client.next()));

        send(Verb.PUT, "/#runtime/devices#streams/1#flow", "/r/11", true, "false");
        assertEquals(Verb.REP, client.next().verb());
        runtime.changed("devices");                       // paused: nothing is pushed

        send(Verb.DELETE, "/#runtime/devices#streams/1", "/r/12", true, null);
        Message end = client.next();
        assertTrue(end.eof(), "the observation stream ends with EOF");
        assertEquals("/r/10", end.to().toString());
        Message ack = client.next();
        assertEquals("/r/12", ack.to().toString());
        assertEquals(0, router.streams().size(), "both exchanges closed");
    }

    @Test
    void observerBoundIsAnErrorToTheCaller() throws Exception {
        send(Verb.GET, "/#runtime/devices", "/r/20", false, null);
        send(Verb.GET, "/#runtime/devices", "/r/21", false, null);
        send(Verb.GET, "/#runtime/devices", "/r/22", false, null);
        client.next();
        client.next();
        Message third = client.next();
        assertEquals(Verb.ERROR, third.verb());
        assertEquals(503, third.status());
    }

    @Test
    void aBurstOfChangesCoalescesInsteadOfFillingTheQueue() throws Exception {
        send(Verb.GET, "/#runtime/devices", "/r/30", false, null);
        client.next();
        for (int i = 1; i <= 5_000; i++) {                 // the queue holds 64
            devices.set(i);
            runtime.changed("devices");
        }
        Message last;
        do {
            last = client.next();
        } while (!body(last).equals("{\"count\":5000}"));   // the final state always arrives
        assertEquals(0, metrics.value("ferry_runtime_dropped_total{reason=\"change_queue_full\"}"),
                "no change was refused");
        assertTrue(client.inbox.size() < 64, "far fewer pushes than changes: " + client.inbox.size());
    }
}

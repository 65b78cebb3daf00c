package dev.ferry.edge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class DeviceCatalogTest {
    /** Answers like the reference firmware, at once, on the caller's thread. */
    private static final class Mcu implements Endpoint {
        Router router;
        int requests;

        @Override public String id() {
            return "device:dev0";
        }

        @Override public Path mount() {
            return Path.of("/dev0");
        }

        @Override public boolean deliver(Message m) {
            requests++;
            String to = m.to().toString();
            String body = switch (to) {
                case "/" -> "[\"/info\",\"/blob\",\"/gone\",\"/#hidden\",42,\"/info\"]";
                case "/info#schema" -> "{\"verbs\":[\"GET\"],\"types\":[\"j\"]}";
                case "/blob#schema" -> "{\"verbs\":[\"GET\"],\"types\":[\"o\"],\"in\":\"KiB\"}";
                default -> null;
            };
            Message reply = body == null
                    ? Message.builder(Verb.ERROR, m.from(), m.to()).status(404).build()
                    : Message.builder(Verb.REP, m.from(), m.to()).body(BodyType.JSON,
                            body.getBytes(StandardCharsets.UTF_8)).build();
            router.send(this, reply);
            return true;
        }
    }

    @Test
    void readsTheResourceListAndEachSchemaThenForgetsADetachedDevice() throws Exception {
        Semaphore changes = new Semaphore(0);
        Router router = new Router(RouteTable.of(List.of(Route.mount(Path.of("/dev0"), "device:dev0"),
                DeviceCatalog.route())), new StreamTable(64), new Metrics(), TimeUnit.SECONDS.toNanos(5), System::nanoTime);
        Mcu mcu = new Mcu();
        mcu.router = router;
        router.attach(mcu);
        DeviceCatalog catalog = new DeviceCatalog(changes::release);
        catalog.start(router);

        catalog.attached("dev0", Path.of("/dev0"), "host-sim", "0.1.0");
        assertTrue(changes.tryAcquire(1, 5, TimeUnit.SECONDS));
        List<DeviceCatalog.Device> ds = catalog.devices();
        assertEquals(1, ds.size());
        DeviceCatalog.Device d = ds.get(0);
        assertTrue(d.complete(), "every schema was asked and answered: " + d);
        assertEquals(List.of("/info", "/blob", "/gone"), d.resources().stream().map(DeviceCatalog.Resource::path).toList(),
                "paths with # and non-strings are left out, duplicates once");
        assertEquals("{\"verbs\":[\"GET\"],\"types\":[\"o\"],\"in\":\"KiB\"}", d.resources().get(1).schema());
        assertNull(d.resources().get(2).schema(), "a resource whose #schema failed has none");
        assertEquals(4, mcu.requests, "the list and three schemas");

        catalog.detached("dev0");
        assertTrue(catalog.devices().isEmpty());
        assertEquals(List.of(), DeviceCatalog.paths("not json".getBytes(StandardCharsets.UTF_8)));
    }
}

package dev.ferry.edge.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.ferry.edge.config.ConfigLoader;
import dev.ferry.edge.config.FerryConfig;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.observe.MaxAgeRules;
import dev.ferry.edge.route.Endpoint;
import dev.ferry.edge.route.Router;
import dev.ferry.edge.route.StreamTable;
import dev.ferry.edge.runtime.RuntimeResources;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The default max-age each endpoint's resources get from [[devices]] and [[routes]] max_age_ms. */
@Tag("small")
class ObservationAssemblyTest {
    private static Endpoint endpoint(String id) {
        return new Endpoint() {
            @Override public String id() {
                return id;
            }

            @Override public Path mount() {
                return Path.ROOT;
            }

            @Override public boolean deliver(Message m) {
                return true;
            }
        };
    }

    @Test
    void routesGiveTheirPrefixInTheTargetsNamespaceAndTheDeviceItsDefault() throws Exception {
        FerryConfig cfg = ConfigLoader.parse(String.join("\n",
                "[[lines]]", "name = \"l\"", "simulate = true",
                "[[devices]]", "name = \"dev0\"", "line = \"l\"", "address = 1", "mount = \"/dev0\"", "max_age_ms = 1000",
                "[[devices]]", "name = \"dev1\"", "line = \"l2\"", "address = 1", "mount = \"/dev1\"",
                "[[lines]]", "name = \"l2\"", "simulate = true",
                "[[routes]]", "prefix = \"/plant\"", "to = \"device:dev0\"", "add = \"/sensors\"", "max_age_ms = 5000",
                "[[routes]]", "prefix = \"/garage\"", "to = \"peer:garage\"", "max_age_ms = 200",
                "[[peers]]", "id = \"garage\"", "[[peers.transports]]", "connect = \"127.0.0.1:9\"", ""), "t.toml");
        Router router = new Router(RouteAssembly.build(cfg), new StreamTable(8), new Metrics(), 1_000_000_000L,
                System::nanoTime);
        try (ObservationAssembly a = new ObservationAssembly(cfg, router, new Metrics(), new RuntimeResources(
                new Metrics(), 8, 8, 1000))) {
            MaxAgeRules dev0 = a.rules(endpoint("device:dev0"));
            assertEquals(5000, dev0.forPath(Path.of("/sensors/temp")), "the route's, in the device's namespace");
            assertEquals(1000, dev0.forPath(Path.of("/info")), "the device's own default");
            assertSame(MaxAgeRules.NONE, a.rules(endpoint("device:dev1")));
            assertEquals(200, a.rules(endpoint("peer:garage")).forPath(Path.of("/dev0/x")), "strip /garage, add nothing");
        }
    }
}

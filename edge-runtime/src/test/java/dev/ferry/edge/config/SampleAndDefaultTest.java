package dev.ferry.edge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

@Tag("small")
class SampleAndDefaultTest {

    static String resource(String name) throws IOException {
        try (InputStream in = SampleAndDefaultTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void sampleLoadsWithTheValuesItDocuments() throws Exception {
        FerryConfig c = ConfigLoader.parse(resource("/ferry.sample.toml"), "ferry.sample.toml");
        assertEquals("ferry-kitchen", c.node().id());
        assertEquals(new HostPort("127.0.0.1", 8080), c.http().listen());
        assertEquals(256, c.http().maxConnections());
        assertEquals(new LimitsConfig(1024, 64, 16384, 5000, 1048576), c.limits());
        assertEquals(new LoggingConfig(LoggingConfig.Level.INFO, LoggingConfig.Format.JOURNAL), c.logging());
        LineConfig bus0 = c.line("bus0").orElseThrow();
        assertEquals(new LineConfig("bus0", Optional.of("/dev/ttyAMA0"), Optional.empty(), 115200, 256, 4,
                LineConfig.Rs485.GPIO, OptionalInt.of(17), 0, 3, 30000, 5, 40, 2, OptionalInt.of(27), false), bus0);
        assertEquals(Optional.of("rpi4"), c.line("uno").orElseThrow().hostProfile());
        assertEquals(57600, c.line("uno").orElseThrow().baud());
        assertEquals(new DeviceConfig("thermo", "bus0", 1, "/kitchen/thermo", Optional.of("arduino-uno"),
                List.of("kitchen")), c.device("thermo").orElseThrow());
        assertEquals(new RouteConfig("/lights/kitchen", new RouteTarget(RouteTarget.Kind.DEVICE, "lamp"),
                "/lights/kitchen", "/led"), c.routes().get(0));
        assertEquals(new RouteConfig("/garage", new RouteTarget(RouteTarget.Kind.PEER, "garage"), "/garage", ""),
                c.routes().get(1));
        assertEquals(new RouteConfig("/status", new RouteTarget(RouteTarget.Kind.RUNTIME, ""), "/status", "/#runtime"),
                c.routes().get(2));
        assertEquals(5, c.allRoutes().size());
        PeerConfig garage = c.peer("garage").orElseThrow();
        assertEquals(PeerConfig.Mode.PERMISSIVE, garage.mode());
        assertEquals(PeerConfig.MAX_BAD_COPIES, garage.maxBadCopies());
        assertEquals(PeerConfig.RESEND_RATE, garage.resendRate());
        assertEquals(List.of("/kitchen"), garage.offers());
        assertEquals(List.of(
                new TransportConfig(TransportConfig.Kind.TCP, Optional.of(new HostPort("192.168.1.20", 7500)),
                        Optional.empty(), Optional.of("192.168.1.10"), 10000),
                new TransportConfig(TransportConfig.Kind.UDP, Optional.empty(),
                        Optional.of(new HostPort("::", 7501)), Optional.empty(), 10000)), garage.transports());
        assertEquals(PeerConfig.Mode.STRICT, c.peer("resi").orElseThrow().mode());
        assertEquals(new RendezvousConfig(false, new HostPort("127.0.0.1", 7400),
                Optional.of(new HostPort("192.168.1.1", 7400)), 16, 4096, 1024), c.rendezvous());
        assertEquals(SecurityConfig.Mode.OPEN, c.security().mode());
    }

    @Test
    void sampleUsesExactlyTheKnownKeys() throws Exception {
        TomlParseResult toml = Toml.parse(resource("/ferry.sample.toml"));
        assertTrue(toml.errors().isEmpty(), toml.errors().toString());
        Set<String> inSample = new TreeSet<>();
        walk(toml, "", inSample);
        Set<String> known = ConfigSchema.knownKeys();
        Set<String> unknownInSample = new TreeSet<>(inSample);
        unknownInSample.removeAll(known);
        Set<String> missingFromSample = new TreeSet<>(known);
        missingFromSample.removeAll(inSample);
        assertEquals(Set.of(), unknownInSample, "keys in the sample the loader does not know");
        assertEquals(Set.of(), missingFromSample, "keys the loader knows that the sample does not document");
        assertTrue(known.contains("peers[].transports[].kind"));
        assertTrue(known.contains("Tcp.Address"));
    }

    private static void walk(TomlTable table, String base, Set<String> out) {
        for (String key : table.keySet()) {
            Object v = table.get(List.of(key));
            String p = base + key;
            if (v instanceof TomlTable t) {
                walk(t, p + ".", out);
            } else if (v instanceof TomlArray a && !a.isEmpty() && a.get(0) instanceof TomlTable) {
                for (int i = 0; i < a.size(); i++) {
                    walk(a.getTable(i), p + "[].", out);
                }
            } else {
                out.add(p);
            }
        }
    }

    @Test
    void embeddedDefaultIsOneSimulatedLineWithOneDevice() {
        FerryConfig c = FerryConfig.embeddedDefault();
        assertEquals(1, c.lines().size());
        LineConfig sim = c.lines().get(0);
        assertEquals("sim0", sim.name());
        assertTrue(sim.simulate());
        assertFalse(sim.port().isPresent());
        assertEquals(115200, sim.baud());
        assertEquals(256, sim.frameSize());
        assertEquals(4, sim.window());
        assertEquals(List.of(new DeviceConfig("dev0", "sim0", 1, "/dev0", Optional.empty(), List.of())), c.devices());
        assertTrue(c.http().enabled());
        assertEquals(new HostPort("127.0.0.1", 8080), c.http().listen());
        assertEquals(List.of(new RouteConfig("/dev0", new RouteTarget(RouteTarget.Kind.DEVICE, "dev0"), "/dev0", "")),
                c.allRoutes());
        assertTrue(c.peers().isEmpty());
    }
}

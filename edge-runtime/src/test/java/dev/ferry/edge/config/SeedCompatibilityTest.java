package dev.ferry.edge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The RESI seed's configuration file (seed 000), copied verbatim into test resources. */
@Tag("small")
class SeedCompatibilityTest {

    @Test
    void seedFileIsRefusedOnlyForItsNknSection() throws Exception {
        String text = SampleAndDefaultTest.resource("seed000.toml");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(text, "seed000.toml"));
        assertEquals(1, e.problems().size(), e.getMessage());
        ConfigProblem p = e.problems().get(0);
        assertEquals("Nkn", p.key());
        assertEquals(7, p.line());
        assertEquals("seed000.toml:7: Nkn: found [Nkn] section, expected no [Nkn] section, or Enabled = false"
                + " in it (NKN needs the public NKN network, which Ferry cannot use; use [Tcp] or [[peers]])",
                e.getMessage());
    }

    @Test
    void seedFileWithNknDisabledLoads() throws Exception {
        String text = SampleAndDefaultTest.resource("seed000.toml").replace("[Nkn]\n", "[Nkn]\nEnabled = false\n");
        FerryConfig c = ConfigLoader.parse(text, "seed000.toml");
        assertEquals(List.of("resi"), c.peers().stream().map(PeerConfig::id).toList());
    }

    @Test
    void seedFileWithoutNknIsOneStrictPeerOverTcp() throws Exception {
        FerryConfig c = ConfigLoader.parse(SampleAndDefaultTest.resource("seed000-no-nkn.toml"), "seed.toml");
        assertEquals(1, c.peers().size());
        PeerConfig resi = c.peers().get(0);
        assertEquals("resi", resi.id());
        assertEquals(PeerConfig.Mode.STRICT, resi.mode());
        assertEquals(List.of(
                new TransportConfig(TransportConfig.Kind.TCP, Optional.of(new HostPort("127.0.0.1", 9000)),
                        Optional.empty(), Optional.empty(), 10000),
                new TransportConfig(TransportConfig.Kind.TCP, Optional.empty(),
                        Optional.of(new HostPort("localhost", 4001)), Optional.empty(), 10000)),
                resi.transports());
        assertEquals(List.of(), c.lines());
        assertEquals(List.of(), c.devices());
    }

    @Test
    void permissiveModeAndIpv6AddressAsTheSeedAllows() throws Exception {
        FerryConfig c = ConfigLoader.parse("[Tcp]\nAddress = \"[::1]:9000\"\n[Resi]\nMode = \"permissive\"\n", "s.toml");
        PeerConfig resi = c.peer("resi").orElseThrow();
        assertEquals(PeerConfig.Mode.PERMISSIVE, resi.mode());
        assertEquals(Optional.of(new HostPort("::1", 9000)), resi.transports().get(0).connect());
        assertEquals(1, resi.transports().size());
    }

    @Test
    void resiModeMustBeStrictOrPermissive() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("[Tcp]\nAddress = \"127.0.0.1:9000\"\n[Resi]\nMode = \"lax\"\n", "s.toml"));
        assertEquals("s.toml:4: Resi.Mode: found \"lax\", expected one of \"permissive\", \"strict\"", e.getMessage());
    }
}

package dev.ferry.edge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What check-config says about peers and the security mode (docs/security.md, "Peers"). */
@Tag("small")
class PeerSecurityConfigTest {
    private static final String LAN_PEER = "[[peers]]\nid = \"gw\"\n[[peers.transports]]\nlisten = \"0.0.0.0:7500\"\n";

    private static String only(String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(text, "f.toml"));
        assertEquals(1, e.problems().size(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void openModeRefusesAPeerListenerOnTheLanNamingTheKeyThatAllowsIt() {
        String m = only(LAN_PEER);
        assertTrue(m.startsWith("f.toml:4: peers[0].transports[0].listen: found \"0.0.0.0:7500\", expected a loopback"
                + " address"), m);
        assertTrue(m.contains("[security] unsafe_unauthenticated_lan = true"), m);
        assertTrue(m.contains("mode = \"signed\""), m);
        String seed = only("[Tcp]\nAddress = \"127.0.0.1:9000\"\nListen = \"[::]:4001\"\n");
        assertTrue(seed.startsWith("f.toml:3: Tcp.Listen: found \"[::]:4001\", expected a loopback address"), seed);
    }

    @Test
    void theUnsafeKeyAllowsItAndLoopbackNeedsNothing() throws Exception {
        FerryConfig c = ConfigLoader.parse(LAN_PEER + "[security]\nunsafe_unauthenticated_lan = true\n", "f.toml");
        assertTrue(c.security().unsafeUnauthenticatedLan());
        for (String host : List.of("127.0.0.1", "[::1]", "localhost")) {
            ConfigLoader.parse(LAN_PEER.replace("0.0.0.0", host), "f.toml");
        }
        // connecting to a LAN address listens nowhere
        ConfigLoader.parse("[[peers]]\nid = \"gw\"\n[[peers.transports]]\nconnect = \"192.168.1.20:7500\"\n", "f.toml");
        String bad = only("[security]\nunsafe_unauthenticated_lan = \"yes\"\n");
        assertTrue(bad.startsWith("f.toml:2: security.unsafe_unauthenticated_lan: found \"yes\""), bad);
    }

    @Test
    void authenticatedModesRefusePlainUdpAndTakeTheLan(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("node.key"), "x");
        Path trusted = Files.createDirectories(dir.resolve("trusted"));
        Files.writeString(trusted.resolve("gw.pub"), "x");
        String security = "[security]\nmode = \"signed\"\nkey_file = \"" + key + "\"\ntrusted_keys_dir = \""
                + trusted + "\"\n";
        String m = only(security + "[[peers]]\nid = \"gw\"\n[[peers.transports]]\nkind = \"udp\"\n"
                + "listen = \"0.0.0.0:7501\"\n");
        assertEquals("f.toml:8: peers[0].transports[0].kind: found \"udp\", expected \"tcp\" (TLS 1.3) or \"raet\":"
                + " plain UDP does not authenticate peers, which security mode \"signed\" requires", m);
        FerryConfig c = ConfigLoader.parse(security + LAN_PEER, "f.toml");
        assertEquals(Optional.of(new HostPort("0.0.0.0", 7500)), c.peers().get(0).transports().get(0).listen());
    }

    @Test
    void authenticatedModesNeedTheKeyFilesAndAKeyNamedForEachPeer(@TempDir Path dir) throws Exception {
        Path trusted = Files.createDirectories(dir.resolve("trusted"));
        String m = only("[security]\nmode = \"encrypted\"\nkey_file = \"" + dir.resolve("none.key") + "\"\n"
                + "trusted_keys_dir = \"" + trusted + "\"\n");
        assertTrue(m.startsWith("f.toml:3: security.key_file: found \"" + dir.resolve("none.key")
                + "\" (no such file or directory), expected a readable private key file"), m);

        Path key = Files.writeString(dir.resolve("node.key"), "x");
        String security = "[security]\nmode = \"encrypted\"\nkey_file = \"" + key + "\"\ntrusted_keys_dir = \""
                + trusted + "\"\n";
        String peer = only(security + LAN_PEER);
        assertTrue(peer.startsWith("f.toml:6: peers[0].id: found peer \"gw\" without " + trusted.resolve("gw.pub")
                + ", expected the peer's public key in " + trusted.resolve("gw.pub")
                + " (the file's name binds the key to the peer id;"), peer);
        String seed = only(security + "[Tcp]\nAddress = \"127.0.0.1:9000\"\n");
        assertTrue(seed.startsWith("f.toml:6: Tcp.Address: found the seed's peer \"resi\" without "
                + trusted.resolve("resi.pub")), seed);
        String notDir = only("[security]\nmode = \"signed\"\nkey_file = \"" + key + "\"\ntrusted_keys_dir = \"" + key
                + "\"\n");
        assertTrue(notDir.startsWith("f.toml:4: security.trusted_keys_dir: found \"" + key + "\" (a file), expected a"
                + " directory"), notDir);

        Files.writeString(trusted.resolve("gw.pub"), "x");
        Files.writeString(trusted.resolve("resi.pub"), "x");
        assertEquals(2, ConfigLoader.parse(security + LAN_PEER + "[Tcp]\nAddress = \"127.0.0.1:9000\"\n", "f.toml")
                .peers().size());
    }

    @Test
    void theSeedsPeerHasNoNodeIdToCheckAndPeersEntriesDo() throws Exception {
        FerryConfig c = ConfigLoader.parse("[Tcp]\nAddress = \"127.0.0.1:9000\"\n"
                + "[[peers]]\nid = \"gw\"\n[[peers.transports]]\nconnect = \"127.0.0.1:7500\"\n", "f.toml");
        assertEquals(Optional.of("gw"), c.peer("gw").orElseThrow().nodeId());
        assertEquals(Optional.empty(), c.peer("resi").orElseThrow().nodeId());
    }
}

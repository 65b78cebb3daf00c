package dev.ferry.edge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Safe by default (issue 14, point 4): a careless user who puts the facade or the rendezvous
 * service on the LAN without TLS and authentication gets a problem line at the listen key, not a
 * gateway anyone on the network can drive.
 */
@Tag("small")
class LanSafetyConfigTest {
    private static final String TLS = "tls_cert_file = \"c.pem\"\ntls_key_file = \"k.pem\"\n";

    private static String only(String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(text, "f.toml"));
        assertEquals(1, e.problems().size(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void lanAddressWithoutTlsAndAuthenticationIsRefused() {
        assertEquals("f.toml:2: http.listen: found \"0.0.0.0:8080\" (reachable from the network) without TLS and"
                + " authentication, expected a loopback address, or tls_cert_file + tls_key_file with tokens_file or"
                + " client_ca_file, or unsafe_unauthenticated_lan = true to serve the network without them",
                only("[http]\nlisten = \"0.0.0.0:8080\"\n"));
        assertTrue(only("[http]\nlisten = \"[::]:8080\"\ntokens_file = \"t\"\n")
                .contains("found \"[::]:8080\" (reachable from the network) without TLS, expected"));
        assertTrue(only("[http]\nlisten = \"192.168.1.5:80\"\n" + TLS)
                .contains("without authentication, expected"));
        assertTrue(only("[http]\nlisten = \"gateway.local:80\"\n" + TLS).contains("gateway.local"),
                "a host name is not assumed to be loopback");
    }

    @Test
    void loopbackTlsWithAuthenticationOrTheUnsafeKeyAreAccepted() throws Exception {
        for (String host : new String[] {"127.0.0.1", "127.9.8.7", "localhost", "[::1]"}) {
            assertEquals(host.replace("[", "").replace("]", ""),
                    ConfigLoader.parse("[http]\nlisten = \"" + host + ":1\"\n", "f").http().listen().host());
        }
        HttpConfig h = ConfigLoader.parse("[http]\nlisten = \"0.0.0.0:443\"\n" + TLS + "tokens_file = \"t\"\n", "f").http();
        assertTrue(h.tls() && h.authenticates());
        assertTrue(ConfigLoader.parse("[http]\nlisten = \"0.0.0.0:443\"\n" + TLS + "client_ca_file = \"ca.pem\"\n", "f")
                .http().authenticates());
        assertTrue(ConfigLoader.parse("[http]\nlisten = \"0.0.0.0:80\"\nunsafe_unauthenticated_lan = true\n", "f")
                .http().unsafeUnauthenticatedLan());
        assertFalse(ConfigLoader.parse("[http]\nenabled = false\nlisten = \"0.0.0.0:80\"\n", "f").http().enabled(),
                "a disabled facade listens nowhere");
    }

    @Test
    void tlsFilesGoTogetherAndClientCertificatesNeedTls() {
        assertEquals("f.toml:2: http.tls_key_file: found nothing, expected tls_cert_file and tls_key_file together"
                + " (HTTPS needs both)", only("[http]\ntls_cert_file = \"c.pem\"\n"));
        assertTrue(only("[http]\nclient_ca_file = \"ca.pem\"\n").startsWith(
                "f.toml:2: http.client_ca_file: found \"ca.pem\", expected no client_ca_file without tls_cert_file"));
        assertTrue(only("[http]\ntokens_file = \"\"\n").contains("expected a non-empty path"));
        assertTrue(only("[http]\nheader_timeout_ms = 0\n").contains("an integer in 100..600000"));
        assertTrue(only("[http]\nmax_connections_per_source = 0\n").contains("an integer in 1..65536"));
    }

    @Test
    void rendezvousBeyondLoopbackNeedsTlsAndTokens() throws Exception {
        assertTrue(only("[rendezvous]\nenabled = true\nlisten = \"0.0.0.0:7400\"\n").startsWith(
                "f.toml:3: rendezvous.listen: found \"0.0.0.0:7400\" (reachable from the network) without TLS and"
                + " authentication, expected a loopback address, or tls = true with [http] tokens_file"));
        assertTrue(only("[rendezvous]\ntls = true\n").contains("rendezvous.tls: found true, expected tls = true only"
                + " with [http] tls_cert_file"));
        RendezvousConfig r = ConfigLoader.parse("[http]\n" + TLS + "tokens_file = \"t\"\n[rendezvous]\nenabled = true\n"
                + "listen = \"0.0.0.0:7400\"\ntls = true\npublic_discovery = true\n", "f").rendezvous();
        assertTrue(r.tls() && r.publicDiscovery());
        assertTrue(ConfigLoader.parse("[rendezvous]\nenabled = true\nlisten = \"0.0.0.0:7400\"\n"
                + "unsafe_unauthenticated_lan = true\n", "f").rendezvous().unsafeUnauthenticatedLan());
        assertFalse(ConfigLoader.parse("[rendezvous]\nlisten = \"0.0.0.0:7400\"\n", "f").rendezvous().enabled(),
                "a disabled service is not checked");
    }

    @Test
    void aTokenIsSentBeyondLoopbackOnlyOverTls() throws Exception {
        assertTrue(only("[rendezvous]\nregister_to = \"10.0.0.1:7400\"\nregister_token_file = \"t\"\n")
                .contains("rendezvous.register_token_file: found \"t\" without register_ca_file, expected"));
        RendezvousConfig r = ConfigLoader.parse("[rendezvous]\nregister_to = \"127.0.0.1:7400\"\n"
                + "register_token_file = \"t\"\n", "f").rendezvous();
        assertEquals(Optional.of("t"), r.registerTokenFile());
        assertEquals(Optional.of("ca"), ConfigLoader.parse("[rendezvous]\nregister_to = \"10.0.0.1:7400\"\n"
                + "register_token_file = \"t\"\nregister_ca_file = \"ca\"\n", "f").rendezvous().registerCaFile());
    }
}

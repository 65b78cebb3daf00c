package dev.ferry.edge.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.config.ConfigLoader;
import dev.ferry.edge.raet.KeyGen;
import dev.ferry.edge.resi.Envelopes;
import dev.ferry.edge.resi.PeerLink;
import dev.ferry.edge.resi.ResiCodec;
import dev.ferry.edge.transport.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two whole gateways in one JVM in security mode signed, keys made by {@code ferry keygen}, joined
 * over TLS (TCP) and RAET (UDP) on loopback. B's LAN client reaches A only where A offers it to
 * B; an impostor on A's TLS port is refused, counted and never disturbs the link.
 */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PeerSecuritySystemTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private FerryRuntime a;
    private FerryRuntime b;
    private FerryRuntime c;
    private Path dir;
    private KeyGen.Written ka;
    private KeyGen.Written kc;
    private int raetPortA;

    @BeforeEach
    void start(@TempDir Path tmp) throws Exception {
        dir = tmp;
        ka = KeyGen.write(dir.resolve("a"));
        KeyGen.Written kb = KeyGen.write(dir.resolve("b"));
        kc = KeyGen.write(dir.resolve("c"));
        Path trustA = Files.createDirectories(dir.resolve("a/trusted"));
        Path trustB = Files.createDirectories(dir.resolve("b/trusted"));
        Files.copy(kb.publicFile(), trustA.resolve("gw-b.pub"));
        Files.copy(kc.publicFile(), trustA.resolve("gw-c.pub")); // a third peer, trusted as gw-c only
        Files.copy(ka.publicFile(), trustB.resolve("gw-a.pub"));
        a = FerryRuntime.start(ConfigLoader.parse(String.join("\n",
                "[node]", "id = \"gw-a\"", "[http]", "listen = \"127.0.0.1:0\"",
                "[security]", "mode = \"signed\"", "key_file = \"" + ka.keyFile() + "\"",
                "trusted_keys_dir = \"" + trustA + "\"",
                "[[peers]]", "id = \"gw-b\"", "offers = [\"/#runtime/routes\"]",
                "[[peers.transports]]", "kind = \"tcp\"", "listen = \"127.0.0.1:0\"",
                "[[peers.transports]]", "kind = \"raet\"", "listen = \"127.0.0.1:0\"", ""), "a.toml"));
        List<Transport> at = linkAt(a, "gw-b").transports();
        int tcp = at.get(0).localAddress().orElseThrow().getPort();
        int raet = at.get(1).localAddress().orElseThrow().getPort();
        raetPortA = raet;
        b = FerryRuntime.start(ConfigLoader.parse(String.join("\n",
                "[node]", "id = \"gw-b\"", "[http]", "listen = \"127.0.0.1:0\"",
                "[security]", "mode = \"signed\"", "key_file = \"" + kb.keyFile() + "\"",
                "trusted_keys_dir = \"" + trustB + "\"",
                "[[peers]]", "id = \"gw-a\"",
                "[[peers.transports]]", "kind = \"tcp\"", "connect = \"127.0.0.1:" + tcp + "\"",
                "[[peers.transports]]", "kind = \"raet\"", "connect = \"127.0.0.1:" + raet + "\"",
                "[[routes]]", "prefix = \"/a\"", "to = \"peer:gw-a\"", ""), "b.toml"));
        await(() -> allLive(linkAt(a, "gw-b")) && allLive(linkAt(b, "gw-a")), 30_000, "TLS and RAET live both ways");
    }

    @AfterEach
    void stop() {
        if (c != null) {
            c.close();
        }
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    @Test
    void aPeerReachesOnlyWhatItIsOffered() throws Exception {
        assertEquals(200, get("/a/%23runtime/routes").statusCode(), "offered");
        HttpResponse<String> runtime = get("/a/%23runtime/peers/gw-b");
        assertEquals(403, runtime.statusCode(), "/#runtime beyond the offered resource: " + runtime.body());
        assertTrue(runtime.body().contains("not offered to peer gw-b"), runtime.body());
        assertEquals(403, get("/a/%23runtime").statusCode());
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(base(b) + "/a/dev0/leds/0"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("false"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, put.statusCode(), put.body());
        assertEquals(3, a.metrics().value("ferry_peer_denied_total{peer=\"gw-b\"}"));
        assertEquals(3, a.metrics().value("ferry_router_denied_total{principal=\"peer\"}"));

        // what advertise changes at run time is what the peer may reach at once
        linkAt(a, "gw-b").advertise(List.of("/#runtime"), List.of());
        assertEquals(200, get("/a/%23runtime/peers/gw-b").statusCode());
        assertEquals(403, get("/a/dev0/info").statusCode(), "a device path is not under /#runtime");
    }

    @Test
    void aPlainImpostorOnTheTlsPortIsRefusedCountedAndHarmless() throws Exception {
        PeerLink link = linkAt(a, "gw-b");
        InetSocketAddress port = link.transports().get(0).localAddress().orElseThrow();
        for (int i = 0; i < 3; i++) {
            try (Socket s = new Socket()) {
                s.connect(port, 5000);
                s.setSoTimeout(20_000);
                byte[] hs = Envelopes.handshake(ResiCodec.VERSION_MAJOR, ResiCodec.VERSION_MINOR, "gw-b", List.of(),
                        List.of("/"), List.of(), 1, 7, 1, true, 0);
                s.getOutputStream().write(hs.length);
                s.getOutputStream().write(hs);
                s.getOutputStream().flush();
                assertTrue(readToEnd(s.getInputStream()) <= 7, "closed with at most a TLS alert, never a RESI reply");
            }
        }
        await(() -> a.metrics().value("ferry_peer_connections_refused_total{peer=\"gw-b\",reason=\"not_tls\"}") == 3,
                10_000, "three refusals counted");
        assertEquals(0, link.health().refusals(), "no RESI handshake was read from the impostor");
        assertTrue(allLive(link), link.health().toString());
        assertEquals(200, get("/a/%23runtime/routes").statusCode(), "the real link carries requests");
    }

    @Test
    void onRaetAKeyTrustedForAnotherPeerCannotJoinAsThisOne() throws Exception {
        Path trustC = Files.createDirectories(dir.resolve("c/trusted"));
        Files.copy(ka.publicFile(), trustC.resolve("gw-a.pub"));
        // gw-c's own, trusted key, presented on gw-b's RAET listener by a node calling itself gw-b
        c = FerryRuntime.start(ConfigLoader.parse(String.join("\n",
                "[node]", "id = \"gw-b\"", "[http]", "enabled = false",
                "[security]", "mode = \"signed\"", "key_file = \"" + kc.keyFile() + "\"",
                "trusted_keys_dir = \"" + trustC + "\"",
                "[[peers]]", "id = \"gw-a\"",
                "[[peers.transports]]", "kind = \"raet\"", "connect = \"127.0.0.1:" + raetPortA + "\"", ""), "c.toml"));
        await(() -> a.metrics().snapshot().entrySet().stream().anyMatch(e -> e.getKey().startsWith(
                "ferry_raet_dropped_total{link=\"raet-listen") && e.getKey().contains("reason=\"unknown_key\"")
                && e.getValue() > 0), 20_000, "gw-c's join dropped as unknown_key at A: " + a.metrics().snapshot());
        assertTrue(allLive(linkAt(b, "gw-a")), "B's link is untouched: " + linkAt(b, "gw-a").health());
        assertEquals(200, get("/a/%23runtime/routes").statusCode());
    }

    /** Bytes read until the other side closed (or reset) the connection; fails if it never does. */
    private static int readToEnd(InputStream in) {
        int n = 0;
        try {
            while (in.read() >= 0) {
                n++;
            }
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("the connection was not closed", e);
        } catch (IOException e) {
            // reset: closed too
        }
        return n;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base(b) + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String base(FerryRuntime rt) {
        return "http://127.0.0.1:" + rt.httpPort();
    }

    private static PeerLink linkAt(FerryRuntime rt, String peer) {
        return rt.peerLink(peer);
    }

    private static boolean allLive(PeerLink l) {
        return l.health().transports().stream().allMatch(t -> t.live());
    }

    private static void await(BooleanSupplier c, long timeoutMs, String what) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            LockSupport.parkNanos(5_000_000);
        }
    }
}

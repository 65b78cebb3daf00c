package dev.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two real gateway processes on loopback, each with its own config, joined by a RESI peer link
 * over two transports (TCP and UDP): gateway A owns a host-sim MCU, gateway B serves a LAN
 * client. An HTTP GET on B reaches the MCU behind A, and an observation stream crosses both. A
 * offers B its device and its device list, nothing else: the rest is ERROR 403 from A.
 */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TwoGatewaysTest {
    private static final List<Process> PROCESSES = new ArrayList<>();
    private static HttpClient http;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        int tcp = freeTcpPort();
        int udp = freeUdpPort();
        int httpB = freeTcpPort();
        Path dir = Files.createTempDirectory("ferry-2gw");
        Path a = dir.resolve("a.toml");
        Files.writeString(a, String.join("\n",
                "[node]", "id = \"gw-a\"",
                "[http]", "enabled = false",
                "[[lines]]", "name = \"sim0\"", "simulate = true",
                "[[devices]]", "name = \"dev0\"", "line = \"sim0\"", "address = 1", "mount = \"/dev0\"",
                "[[peers]]", "id = \"gw-b\"", "mode = \"permissive\"",
                "offers = [\"/dev0\", \"/#runtime/devices\"]",
                "[[peers.transports]]", "kind = \"tcp\"", "listen = \"127.0.0.1:" + tcp + "\"",
                "[[peers.transports]]", "kind = \"udp\"", "listen = \"127.0.0.1:" + udp + "\"", ""));
        Path b = dir.resolve("b.toml");
        Files.writeString(b, String.join("\n",
                "[node]", "id = \"gw-b\"",
                "[http]", "listen = \"127.0.0.1:" + httpB + "\"",
                "[[peers]]", "id = \"gw-a\"", "mode = \"permissive\"",
                "[[peers.transports]]", "kind = \"tcp\"", "connect = \"127.0.0.1:" + tcp + "\"",
                "[[peers.transports]]", "kind = \"udp\"", "connect = \"127.0.0.1:" + udp + "\"",
                "[[routes]]", "prefix = \"/a\"", "to = \"peer:gw-a\"", ""));
        PROCESSES.add(gateway(a, dir.resolve("a.log")));
        PROCESSES.add(gateway(b, dir.resolve("b.log")));
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        base = "http://127.0.0.1:" + httpB;
        awaitHttp(httpB);
        Repo.awaitEvent(http, base + "/%23runtime/peers/gw-a", "\"live\":true");
        Repo.awaitAttached(http, base + "/a", "dev0");
    }

    private static Process gateway(Path config, Path log) throws IOException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dferry.boards=" + Repo.root().resolve("boards"), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), "dev.ferry.edge.cli.Main",
                "run", "--config", config.toString());
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits for B's HTTP port to accept connections: the process prints nothing we could wait on. */
    private static void awaitHttp(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !PROCESSES.get(1).isAlive()) {
                    throw new AssertionError("gateway B did not open its HTTP port", e);
                }
                try {
                    PROCESSES.get(1).onExit().get(20, TimeUnit.MILLISECONDS);   // wakes early if B died
                } catch (java.util.concurrent.TimeoutException stillRunning) {
                    // B is alive and not listening yet: try again
                }
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process p : PROCESSES) {
            p.destroy();
        }
        for (Process p : PROCESSES) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void getOnGatewayBReachesTheMcuBehindGatewayA() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/a/dev0/info"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"board\":\"host-sim\""), r.body());
        HttpResponse<String> echo = http.send(HttpRequest.newBuilder(URI.create(base + "/a/dev0/echo"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("across two gateways"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("across two gateways", echo.body());
    }

    @Test
    void observationStreamCrossesBothGateways() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/a/dev0/sensors/temp"))
                .header("Accept", "text/event-stream").header("Content-Type", "application/json")
                .method("GET", HttpRequest.BodyPublishers.ofString("50")).timeout(Duration.ofSeconds(20)).build();
        HttpResponse<java.io.InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        List<String> data = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null && data.size() < 4; line = in.readLine()) {
                if (line.startsWith("data:")) {
                    data.add(line);
                }
            }
        }
        assertEquals(4, data.size());
        assertTrue(data.get(3).contains("\"n\":"), data.toString());
    }

    @Test
    void unknownPathBehindThePeerIsAnErrorFromTheFarSide() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/a/dev0/nowhere"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, r.statusCode(), r.body());
    }

    @Test
    void whatANodeDoesNotOfferItsPeerIsForbiddenThere() throws Exception {
        for (String path : List.of("/a/nowhere", "/a/%23runtime/routes", "/a/%23runtime/peers/gw-b")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, r.statusCode(), path + ": " + r.body());
            assertTrue(r.body().contains("not offered to peer gw-b"), r.body());
        }
    }
}

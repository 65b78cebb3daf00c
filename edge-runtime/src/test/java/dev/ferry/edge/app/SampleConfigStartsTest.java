package dev.ferry.edge.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.config.ConfigLoader;
import dev.ferry.edge.config.FerryConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 15: sample files must work as written. The shipped {@code ferry.sample.toml}, with only
 * its listening ports changed (so the test runs beside anything else on the machine), starts and
 * serves {@code /#runtime/routes}, {@code /#runtime/peers} and, through the sample's own facade
 * route, {@code /status/routes}. Its serial ports, GPIO pins and peer addresses are kept as
 * written: absent hardware and unreachable peers must not stop the gateway.
 */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SampleConfigStartsTest {

    static String sample() throws IOException {
        try (InputStream in = SampleConfigStartsTest.class.getResourceAsStream("/ferry.sample.toml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theSampleWithItsPortsChangedStartsAndServesTheRuntime() throws Exception {
        String text = sample()
                .replace("listen = \"127.0.0.1:8080\"", "listen = \"127.0.0.1:0\"")
                .replace("listen = \"[::]:7501\"", "listen = \"[::]:" + GatewayProcess.freeUdpPort() + "\"")
                .replace("Listen = \"localhost:4001\"", "Listen = \"localhost:" + GatewayProcess.freeTcpPort() + "\"")
                .replace("listen = \"127.0.0.1:7400\"", "listen = \"127.0.0.1:0\"");
        FerryConfig cfg = ConfigLoader.parse(text, "ferry.sample.toml");
        try (FerryRuntime rt = FerryRuntime.start(cfg)) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String base = "http://127.0.0.1:" + rt.httpPort();
            HttpResponse<String> routes = http.send(HttpRequest.newBuilder(URI.create(base + "/%23runtime/routes"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, routes.statusCode(), routes.body());
            assertTrue(routes.body().contains("\"prefix\":\"/lights/kitchen\""), routes.body());
            HttpResponse<String> viaFacade = http.send(HttpRequest.newBuilder(URI.create(base + "/status/routes"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(routes.body(), viaFacade.body(), "the sample's facade route reaches the runtime");
            HttpResponse<String> peers = http.send(HttpRequest.newBuilder(URI.create(base + "/%23runtime/peers"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, peers.statusCode(), peers.body());
            assertTrue(peers.body().contains("\"id\":\"garage\"") && peers.body().contains("\"id\":\"resi\""),
                    peers.body());
            HttpResponse<String> peer = http.send(HttpRequest.newBuilder(URI.create(base + "/%23runtime/peers/garage"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, peer.statusCode(), peer.body());
        }
    }
}

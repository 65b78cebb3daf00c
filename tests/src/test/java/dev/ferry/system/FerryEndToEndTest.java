package dev.ferry.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.app.FerryRuntime;
import dev.ferry.edge.config.ConfigLoader;
import dev.ferry.edge.config.FerryConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole runtime in one process against real parts: an HTTP client on loopback → Ferry's
 * facade → router → bus master → pty → the host-sim firmware process, and back.
 */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FerryEndToEndTest {
    private static final String CONFIG = String.join("\n",
            "[http]", "listen = \"127.0.0.1:0\"",
            "[limits]", "request_timeout_ms = 3000",
            "[logging]", "level = \"info\"",
            "[[lines]]", "name = \"sim0\"", "simulate = true",
            "[[devices]]", "name = \"dev0\"", "line = \"sim0\"", "address = 1", "mount = \"/dev0\"",
            "[[routes]]", "prefix = \"/plant\"", "to = \"device:dev0\"", "add = \"/sensors\"", "");

    private static FerryRuntime ferry;
    private static HttpClient http;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        System.setProperty("ferry.boards", Repo.root().resolve("boards").toString());
        FerryConfig cfg = ConfigLoader.parse(CONFIG, "e2e.toml");
        ferry = FerryRuntime.start(cfg);
        base = "http://127.0.0.1:" + ferry.httpPort();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Repo.awaitAttached(http, base, "dev0");
    }

    @AfterAll
    static void stop() {
        if (ferry != null) {
            ferry.close();
        }
    }

    private static HttpResponse<String> send(String method, String path, String type, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void getReachesTheMcuAndReturnsJson() throws Exception {
        HttpResponse<String> r = send("GET", "/dev0/info", null, null);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertTrue(r.body().contains("\"board\":\"host-sim\""), r.body());
    }

    @Test
    void putThenGetChangesTheLed() throws Exception {
        assertEquals(200, send("PUT", "/dev0/leds/0", "application/json", "true").statusCode());
        assertEquals("true", send("GET", "/dev0/leds/0", null, null).body().trim());
        assertEquals(200, send("PUT", "/dev0/leds/0", "application/json", "false").statusCode());
        assertEquals("false", send("GET", "/dev0/leds/0", null, null).body().trim());
    }

    @Test
    void postEchoesTextBody() throws Exception {
        HttpResponse<String> r = send("POST", "/dev0/echo", "text/plain", "through the ferry");
        assertEquals(200, r.statusCode());
        assertEquals("through the ferry", r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    }

    @Test
    void theMcuHoldsTheHostsTimeAnswer() throws Exception {
        // the firmware asks GET /#runtime/time/unix_ms at link-up; its /time shows what it stored
        long before = System.currentTimeMillis() - 120_000;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String body = send("GET", "/dev0/time", null, null).body();
        while (body.contains("\"status\":0,") && System.nanoTime() < deadline) {
            body = send("GET", "/dev0/time", null, null).body();     // the answer is still on its way
        }
        assertTrue(body.contains("\"status\":200"), body);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"time\":(\\d+)}").matcher(body);
        assertTrue(m.find(), "time is a number, not null: " + body);
        long t = Long.parseLong(m.group(1));
        assertTrue(t >= before && t <= System.currentTimeMillis(), body);
    }

    @Test
    void facadeRouteRewritesThePrefix() throws Exception {
        HttpResponse<String> r = send("GET", "/plant/temp", null, null);
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"c\":"), r.body());
    }

    @Test
    void unroutableAndUnknownPathsAre404() throws Exception {
        HttpResponse<String> noRoute = send("GET", "/nowhere/at/all", null, null);
        assertEquals(404, noRoute.statusCode());
        assertTrue(noRoute.body().contains("no route"), noRoute.body());
        assertEquals(404, send("GET", "/dev0/no/such/thing", null, null).statusCode());
        assertEquals(405, send("DELETE", "/dev0/info", null, null).statusCode());
    }

    @Test
    void blobArrivesByteExact() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/dev0/blob"))
                .method("GET", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(20)).build();
        byte[] got = http.send(req, HttpResponse.BodyHandlers.ofByteArray()).body();
        byte[] want = new byte[4096];
        for (int i = 0; i < want.length; i++) {
            want[i] = (byte) ((i * 31 + 7) & 0xFF);
        }
        assertArrayEquals(want, got);
    }

    @Test
    void observationIsServedAsServerSentEventsAndCancelledOnDisconnect() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/dev0/sensors/temp"))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(20))
                .method("GET", HttpRequest.BodyPublishers.ofString("50")).header("Content-Type", "application/json")
                .build();
        HttpResponse<java.io.InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        List<String> data = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null && data.size() < 3; line = in.readLine()) {
                if (line.startsWith("data:")) {
                    data.add(line);
                }
            }
        }
        assertEquals(3, data.size());
        assertTrue(data.get(2).contains("\"n\":"), data.get(2));
        // closing the response cancelled the stream at the MCU: its open exchange goes away
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ferry.router().streams().size() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(0, ferry.router().streams().size(), "the observation was cancelled");
    }

    @Test
    void webSocketCarriesRpMessagesAsJson() throws Exception {
        LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + ferry.httpPort() + "/ws"),
                new WebSocket.Listener() {
                    private final StringBuilder buf = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence text, boolean last) {
                        buf.append(text);
                        if (last) {
                            frames.add(buf.toString());
                            buf.setLength(0);
                        }
                        w.request(1);
                        return CompletableFuture.completedFuture(null);
                    }
                }).get(10, TimeUnit.SECONDS);
        ws.sendText("{\"verb\":\"GET\",\"to\":\"/dev0/info\",\"from\":\"/r/1\"}", true).get(5, TimeUnit.SECONDS);
        ws.sendText("{\"verb\":\"POST\",\"to\":\"/dev0/echo\",\"from\":\"/r/2\",\"type\":\"t\",\"body\":\"ws\"}", true)
                .get(5, TimeUnit.SECONDS);
        String a = frames.poll(10, TimeUnit.SECONDS);
        String b = frames.poll(10, TimeUnit.SECONDS);
        String both = a + "\n" + b;
        assertTrue(both.contains("\"to\":\"/r/1\"") && both.contains("host-sim"), both);
        assertTrue(both.contains("\"to\":\"/r/2\"") && both.contains("\"body\":\"ws\""), both);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
    }

    @Test
    void runtimeResourcesDescribeTheRunningSystem() throws Exception {
        assertTrue(send("GET", "/%23runtime/devices", null, null).body().contains("\"state\":\"ATTACHED\""));
        assertTrue(send("GET", "/%23runtime/lines", null, null).body().contains("\"state\":\"OPEN\""));
        assertTrue(send("GET", "/%23runtime/routes", null, null).body().contains("\"prefix\":\"/plant\""));
        HttpResponse<String> metrics = send("GET", "/metrics", null, null);
        assertTrue(metrics.body().contains("ferry_line_frames_good"), metrics.body());
    }
}

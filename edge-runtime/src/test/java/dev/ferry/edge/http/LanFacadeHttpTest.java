package dev.ferry.edge.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Verb;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("system")
class LanFacadeHttpTest {
    private FacadeFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new FacadeFixture();
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private static String type(HttpResponse<?> r) {
        return r.headers().firstValue("content-type").orElse("");
    }

    private Message received() throws InterruptedException {
        Message m = fx.device.received.poll(5, TimeUnit.SECONDS);
        assertNotNull(m, "the device got nothing");
        return m;
    }

    @Test
    void getMapsToRpGetAndJsonReply() throws Exception {
        HttpResponse<String> r = fx.get("/dev0/sensors/temp");
        assertEquals(200, r.statusCode());
        assertEquals("application/json", type(r));
        assertEquals("{\"celsius\":21.5}", r.body());
        assertEquals("/dev0/sensors/temp", r.headers().firstValue("x-ferry-from").orElse(""));
        Message m = received();
        assertEquals(Verb.GET, m.verb());
        assertEquals("/sensors/temp", m.to().toString());
        assertTrue(m.from().toString().matches("/#lan/\\d+/\\d+"), m.from().toString());
    }

    @Test
    void percentEncodedHashReachesTag() throws Exception {
        HttpResponse<String> r = fx.get("/dev0/sensors/temp%23schema");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"unit\":\"C\""), r.body());
        assertEquals("/sensors/temp#schema", received().to().toString());
    }

    @Test
    void verbsAndContentTypesMapBothWays() throws Exception {
        record Case(String method, String contentType, BodyType rpType, int status, String body) { }
        Case[] cases = {
            new Case("PUT", "application/json", BodyType.JSON, 200, "{\"on\":true}"),
            new Case("POST", "text/plain; charset=utf-8", BodyType.TEXT, 201, "hello"),
            new Case("PATCH", "application/octet-stream", BodyType.OCTETS, 200, "\u0001\u0002"),
            new Case("POST", "application/cbor", BodyType.of("application/cbor"), 201, "abc"),
        };
        for (Case c : cases) {
            HttpResponse<String> r = fx.client.send(fx.request("/dev0/echo")
                    .header("Content-Type", c.contentType())
                    .method(c.method(), HttpRequest.BodyPublishers.ofString(c.body())).build(),
                    HttpResponse.BodyHandlers.ofString());
            Message m = received();
            assertEquals(Verb.valueOf(c.method()), m.verb(), c.toString());
            assertEquals(c.rpType(), m.bodyType().orElseThrow(), c.toString());
            assertEquals(c.body(), new String(m.body(), StandardCharsets.UTF_8));
            assertEquals(c.status(), r.statusCode(), c.toString());
            assertEquals(HttpMapping.contentType(c.rpType()), type(r), c.toString());
            assertEquals(c.body(), r.body());
        }
        HttpResponse<String> del = fx.client.send(fx.request("/dev0/echo").DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, del.statusCode());
        assertEquals("", del.body());
        assertEquals(Verb.DELETE, received().verb());
        assertEquals("text/plain; charset=utf-8", HttpMapping.contentType(BodyType.TEXT));
    }

    @Test
    void errorsBecomeStatuses() throws Exception {
        HttpResponse<String> missing = fx.get("/dev0/missing");
        assertEquals(404, missing.statusCode());
        assertEquals("text/plain; charset=utf-8", type(missing));
        assertTrue(missing.body().startsWith("not found"), missing.body());
        assertEquals(418, fx.get("/dev0/teapot").statusCode());
        assertEquals(502, fx.get("/dev0/weird").statusCode(), "ERROR 302 is not an HTTP error status");
    }

    @Test
    void unroutableIs404FromRouter() throws Exception {
        HttpResponse<String> r = fx.get("/nowhere/at/all");
        assertEquals(404, r.statusCode());
        assertTrue(r.body().contains("no route"), r.body());
        assertEquals("/#runtime/router", r.headers().firstValue("x-ferry-from").orElse(""));
    }

    @Test
    void noReplyIs504FromRouterExpiry() throws Exception {
        HttpResponse<String> r = fx.get("/dev0/slow");
        assertEquals(504, r.statusCode());
        assertTrue(r.body().contains("no reply from device:dev0"), r.body());
        assertEquals(1, fx.metrics.value("ferry_router_timeouts_total"));
        assertEquals(0, fx.dropped("timeout"), "the router answered before the facade's backstop");
    }

    @Test
    void badPathsAre400WithReason() throws Exception {
        HttpResponse<String> dots = fx.get("/dev0/a/%2E%2E/b");
        assertEquals(400, dots.statusCode());
        assertTrue(dots.body().contains("not a valid RP path"), dots.body());
        HttpResponse<String> empty = fx.get("/dev0//x");
        assertEquals(400, empty.statusCode());
        HttpResponse<String> space = fx.get("/dev0/a%20b");
        assertEquals(400, space.statusCode());
        assertTrue(space.body().contains("0x20"), space.body());
        assertEquals(3, fx.dropped("bad_path"));
        assertTrue(fx.device.received.isEmpty(), "nothing reached the device");
    }

    @Test
    void blobStreamArrivesChunkedAndByteExact() throws Exception {
        HttpResponse<byte[]> r = fx.client.send(fx.request("/dev0/blob").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals("application/octet-stream", type(r));
        assertFalse(r.headers().firstValue("content-length").isPresent(), "a stream is chunked");
        assertEquals("chunked", r.headers().firstValue("transfer-encoding").orElse(""));
        assertArrayEquals(FakeDevice.blob(), r.body());
        assertEquals(0, fx.router.streams().size(), "the E1 closed the exchange in the router");
    }

    @Test
    void oversizedBodyIs413AndCounted() throws Exception {
        byte[] big = new byte[300 * 1024];
        HttpResponse<String> r = fx.client.send(fx.request("/dev0/echo")
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, r.statusCode());
        assertEquals(1, fx.dropped("body_too_large"));
    }

    @Test
    void unsupportedMethodIs405() throws Exception {
        HttpResponse<String> r = fx.client.send(fx.request("/dev0/echo")
                .method("BREW", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, r.statusCode());
        assertEquals("GET, HEAD, PUT, POST, PATCH, DELETE, OPTIONS", r.headers().firstValue("allow").orElse(""));
    }

    @Test
    void runtimeResourcesAreReachableThroughTheRouter() throws Exception {
        HttpResponse<String> r = fx.get("/%23runtime/devices");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("boiler-7"), r.body());
    }

    private static final Pattern SAMPLE = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[a-z_]+=\"[^\"]*\"(,[a-z_]+=\"[^\"]*\")*\\})? -?\\d+");
    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge)");

    @Test
    void metricsAreValidPrometheusText() throws Exception {
        fx.get("/dev0/sensors/temp");
        fx.get("/dev0/a%20b");
        HttpResponse<String> r = fx.get("/metrics");
        assertEquals(200, r.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", type(r));
        Set<String> typed = new HashSet<>();
        Set<String> helped = new HashSet<>();
        String family = null;
        for (String line : r.body().split("\n")) {
            if (line.startsWith("# HELP ")) {
                assertTrue(helped.add(line.split(" ")[2]), "HELP once per family: " + line);
                continue;
            }
            var t = TYPE.matcher(line);
            if (t.matches()) {
                assertTrue(typed.add(t.group(1)), "TYPE once per family: " + line);
                assertTrue(helped.contains(t.group(1)), "HELP before TYPE for every family: " + line);
                assertEquals(t.group(1).endsWith("_total") ? "counter" : "gauge", t.group(2));
                family = t.group(1);
                continue;
            }
            assertTrue(SAMPLE.matcher(line).matches(), "bad sample line: " + line);
            assertTrue(line.startsWith(family + " ") || line.startsWith(family + "{"), line + " outside " + family);
        }
        assertTrue(typed.contains("ferry_http_requests_total"));
        assertTrue(typed.contains("ferry_http_connections"));
        assertTrue(r.body().contains("ferry_http_dropped_total{reason=\"bad_path\"} 1"), r.body());
    }

    @Test
    void rootServesTheStatusPageAndItsAssets() throws Exception {
        HttpResponse<String> page = fx.get("/");
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", type(page));
        assertTrue(page.body().contains("<title>Ferry gateway</title>"));
        assertTrue(page.body().contains("href=\"/%23ui/http-api.md\""), "links the HTTP API reference");
        assertFalse(page.body().contains("http://") || page.body().contains("https://"), "no external assets");
        HttpResponse<String> js = fx.get("/%23ui/app.js");
        assertEquals(200, js.statusCode());
        assertTrue(js.body().contains("'/%23ws'"), "the page observes over one WebSocket");
        assertEquals(200, fx.get("/%23ui/style.css").statusCode());
        HttpResponse<String> doc = fx.get("/%23ui/http-api.md");
        assertEquals(200, doc.statusCode());
        assertTrue(doc.body().startsWith("# Ferry HTTP API"), "docs/http-api.md is in the jar");
    }
}

package dev.ferry.edge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Verb;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * docs/http-api.md against a real facade and router with the fake device: the query string as
 * the body, HEAD, OPTIONS, 405 with Allow from the resource's #schema, NDJSON observations and
 * NDJSON framing of a plain JSON stream.
 */
@Tag("system")
class LanFacadeApiTest {
    private FacadeFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new FacadeFixture();
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private Message received() throws InterruptedException {
        Message m = fx.device.received.poll(5, TimeUnit.SECONDS);
        assertNotNull(m, "the device got nothing");
        return m;
    }

    @Test
    void theQueryStringBecomesTheBody() throws Exception {
        assertEquals("64", fx.get("/dev0/echo?64").body());
        Message m = received();
        assertEquals(BodyType.JSON, m.bodyType().orElseThrow());
        assertEquals("64", fx.get("/dev0/echo?kib=64").body(), "one name=value: the value");
        assertEquals("{\"a\":1,\"b\":\"x y\"}", fx.get("/dev0/echo?a=1&b=x+y").body(), "several: an object");
        assertEquals("\"on\"", fx.get("/dev0/echo?state=on").body(), "not JSON: a JSON string");
        assertEquals(400, fx.get("/dev0/echo?a=1&a=2").statusCode());
        assertEquals(400, fx.get("/dev0/echo?a=%C3").statusCode(), "not UTF-8");
        assertEquals(400, fx.get("/dev0/echo?1&2").statusCode());
        HttpResponse<String> both = fx.client.send(fx.request("/dev0/echo?1").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("2")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, both.statusCode(), "the query and a body together are refused, not one dropped");
        assertTrue(fx.dropped("bad_query") >= 4);
    }

    @Test
    void headIsTheGetsHeadWithoutItsBody() throws Exception {
        try (Socket s = new Socket("127.0.0.1", fx.facade.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("HEAD /dev0/sensors/temp HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /dev0/sensors/temp HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            List<String> first = head(in);
            assertEquals("HTTP/1.1 200 OK", first.get(0));
            assertTrue(first.contains("content-length: 16"), first.toString());
            List<String> second = head(in);
            assertEquals("HTTP/1.1 200 OK", second.get(0), "the next response follows the HEAD's head at once");
            char[] body = new char[16];
            assertEquals(16, in.read(body));
            assertEquals("{\"celsius\":21.5}", new String(body));
        }
    }

    private static List<String> head(BufferedReader in) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String l = in.readLine(); l != null && !l.isEmpty(); l = in.readLine()) {
            lines.add(l.toLowerCase(java.util.Locale.ROOT).startsWith("http/") ? l : l.toLowerCase(java.util.Locale.ROOT));
        }
        return lines;
    }

    @Test
    void headOfAStreamCancelsIt() throws Exception {
        fx.device.deletes = new CountDownLatch(1);
        HttpResponse<String> r = fx.client.send(fx.request("/dev0/obs").method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("", r.body());
        assertTrue(r.headers().firstValue("x-ferry-stream").orElse("").startsWith("/dev0/obs#streams/"));
        assertTrue(fx.device.deletes.await(5, TimeUnit.SECONDS), "the stream the HEAD opened is cancelled");
    }

    @Test
    void a405CarriesAllowFromTheResourcesSchema() throws Exception {
        HttpResponse<String> r = fx.client.send(fx.request("/dev0/ro").PUT(HttpRequest.BodyPublishers.ofString("2"))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, r.statusCode());
        assertEquals("GET, HEAD, OPTIONS", r.headers().firstValue("allow").orElse(""));
        assertEquals("method not allowed", r.body());
        HttpResponse<String> member = fx.client.send(fx.request("/dev0/ro%23schema")
                .PUT(HttpRequest.BodyPublishers.ofString("2")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, member.statusCode());
        assertEquals("GET, HEAD, OPTIONS", member.headers().firstValue("allow").orElse(""), "members take GET");
    }

    @Test
    void optionsAnswersAllowFromTheSchema() throws Exception {
        HttpResponse<String> r = fx.client.send(fx.request("/dev0/ro").method("OPTIONS",
                HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, r.statusCode());
        assertEquals("GET, HEAD, OPTIONS", r.headers().firstValue("allow").orElse(""));
        HttpResponse<String> missing = fx.client.send(fx.request("/dev0/nothing").method("OPTIONS",
                HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
    }

    @Test
    void ndjsonObservationIsOneJsonValuePerLine() throws Exception {
        fx.device.deletes = new CountDownLatch(1);
        HttpResponse<InputStream> r = fx.client.send(fx.request("/dev0/obs").header("Accept", "application/x-ndjson")
                .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertEquals("application/x-ndjson", r.headers().firstValue("content-type").orElse(""));
        assertTrue(r.headers().firstValue("x-ferry-stream").orElse("").startsWith("/dev0/obs#streams/"));
        Message request = received();
        assertEquals(Verb.GET, request.verb());
        assertEquals(false, request.eof(), "an observation");
        BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
        for (int n = 1; n <= 5; n++) {
            assertEquals("{\"n\":" + n + "}", in.readLine());
        }
        r.body().close();
        assertTrue(fx.device.deletes.await(5, TimeUnit.SECONDS), "closing cancels at the source");
    }

    @Test
    void aPlainGetOfAJsonStreamIsDelimited() throws Exception {
        HttpResponse<InputStream> r = fx.client.send(fx.request("/dev0/obs").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals("application/x-ndjson", r.headers().firstValue("content-type").orElse(""),
                "not {..}{..} run together");
        BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
        assertEquals("{\"n\":1}", in.readLine());
        assertEquals("{\"n\":2}", in.readLine());
        r.body().close();
    }
}

package dev.ferry.edge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("system")
class LanFacadeSseTest {
    private FacadeFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new FacadeFixture(new LanFacadeConfig(LanFacadeConfig.LOOPBACK, 0, 32, 64 * 1024,
                Duration.ofSeconds(5)).withHeartbeat(Duration.ofMillis(50)));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private HttpResponse<InputStream> subscribe(String rawPath) throws Exception {
        return fx.client.send(fx.request(rawPath).header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    @Test
    void observationBecomesEventsAndDisconnectCancelsAtSource() throws Exception {
        fx.device.deletes = new CountDownLatch(1);
        HttpResponse<InputStream> r = subscribe("/dev0/obs");
        assertEquals(200, r.statusCode());
        assertEquals("text/event-stream; charset=utf-8", r.headers().firstValue("content-type").orElse(""));
        Message request = fx.device.received.poll(5, TimeUnit.SECONDS);
        assertNotNull(request);
        assertEquals(Verb.GET, request.verb());
        assertEquals(false, request.eof(), "an observation is a GET with E0");
        String stream = r.headers().firstValue("x-ferry-stream").orElse("");
        assertTrue(stream.startsWith("/dev0/obs#streams/"), "the head names the stream as the client sees it: " + stream);

        List<String> ids = new ArrayList<>();
        List<String> data = new ArrayList<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
        assertEquals("event: stream", in.readLine(), "the first event names the stream");
        assertEquals("data: {\"stream\":\"" + stream + "\"}", in.readLine());
        assertEquals("", in.readLine());
        for (String line; data.size() < 8 && (line = in.readLine()) != null; ) {
            if (line.startsWith("id: ")) {
                ids.add(line.substring(4));
            } else if (line.startsWith("data: ")) {
                data.add(line.substring(6));
            }
        }
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8"), ids);
        assertEquals("{\"n\":1}", data.get(0));
        assertEquals("{\"n\":8}", data.get(7));
        r.body().close();   // the client goes away mid-stream

        assertTrue(fx.device.deletes.await(5, TimeUnit.SECONDS), "the device saw no DELETE");
        Path cancelled = fx.device.deleted.poll();
        assertTrue(cancelled.toString().startsWith("/obs#streams/"), cancelled.toString());
        assertEquals(0, fx.device.observing());
        assertTrue(fx.metrics.value("ferry_http_cancels_total") >= 1);
    }

    @Test
    void closingTheFacadeEndsTheResponseAndCancelsTheStream() throws Exception {
        fx.device.deletes = new CountDownLatch(1);
        HttpResponse<InputStream> r = subscribe("/dev0/obs");
        BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
        int events = 0;
        for (String line; events < 2 && (line = in.readLine()) != null; ) {
            events += line.startsWith("data: ") ? 1 : 0;
        }
        fx.facade.close();
        assertTrue(fx.device.deletes.await(5, TimeUnit.SECONDS), "the device saw no DELETE");
        int more = 0;
        while (in.readLine() != null) {
            more++;   // the response ends (last chunk, connection closed) instead of hanging
        }
        assertTrue(more < 1000);
        assertEquals(0, fx.facade.connections());
    }

    @Test
    void heartbeatCommentsKeepAQuietStreamAlive() throws Exception {
        // the runtime's metrics stream is every 100 ms; heartbeats are every 50 ms
        HttpResponse<InputStream> r = subscribe("/%23runtime/metrics");
        assertEquals(200, r.statusCode());
        BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
        int heartbeats = 0;
        int events = 0;
        for (String line; heartbeats < 2 && (line = in.readLine()) != null; ) {
            if (line.equals(": hb")) {
                heartbeats++;
            } else if (line.startsWith("data: ") && !line.startsWith("data: {\"stream\"")) {
                assertTrue(line.contains("ferry_router_messages_total"), line);
                events++;
            }
        }
        assertEquals(2, heartbeats);
        assertTrue(events < 100, "bounded read");
        r.body().close();
    }

    @Test
    void anErrorBeforeTheFirstEventIsAnHttpStatus() throws Exception {
        // a 200 with an error event would make an EventSource reconnect forever; a 404 ends it
        HttpResponse<String> r = fx.client.send(fx.request("/dev0/missing")
                .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, r.statusCode());
        assertEquals("not found: /missing", r.body());
    }

    @Test
    void theClientCancelsByTheStreamPathItWasGiven() throws Exception {
        fx.device.deletes = new CountDownLatch(1);
        HttpResponse<InputStream> r = subscribe("/dev0/obs");
        String stream = r.headers().firstValue("x-ferry-stream").orElseThrow();
        HttpResponse<String> del = fx.client.send(fx.request(stream.replace("#", "%23")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, del.statusCode(), del.body());
        assertTrue(fx.device.deletes.await(5, TimeUnit.SECONDS));
        assertEquals(stream, "/dev0" + fx.device.deleted.poll());
        BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
        int lines = 0;
        while (in.readLine() != null) {
            lines++;   // the stream's last REP ends the response
        }
        assertTrue(lines < 10_000);
    }

    @Test
    void unroutableObservationEndsWithRouterError() throws Exception {
        HttpResponse<String> r = fx.client.send(fx.request("/elsewhere")
                .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, r.statusCode());
        assertTrue(r.body().contains("no route"), r.body());
    }
}

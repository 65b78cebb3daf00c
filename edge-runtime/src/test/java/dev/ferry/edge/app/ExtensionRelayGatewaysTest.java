package dev.ferry.edge.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 15: extensions marked pass = true are passed on to the other peers, with loop prevention,
 * across three gateways on loopback (one JVM, real sockets, HTTP as a user would use it): in a
 * line A-B-C a request A sends to B reaches C; in a triangle it stops after going round once; a
 * pass = false one stops at B, counted. Users send with POST /#runtime/peers/<id>/modify and see
 * what arrived at /#runtime/peers/<id>/extensions.
 */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExtensionRelayGatewaysTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<FerryRuntime> gateways = new ArrayList<>();
    private final Map<String, String> base = new LinkedHashMap<>();

    @AfterEach
    void stop() {
        gateways.forEach(FerryRuntime::close);
    }

    /** Starts gateways {@code ids}, joined by one TCP transport for each pair in {@code edges} ("a-b": a listens). */
    private void start(List<String> ids, List<String> edges) throws Exception {
        Map<String, StringBuilder> cfg = new LinkedHashMap<>();
        for (String id : ids) {
            cfg.put(id, new StringBuilder("[node]\nid = \"gw-" + id + "\"\n[http]\nlisten = \"127.0.0.1:0\"\n"));
        }
        for (String e : edges) {
            String l = e.substring(0, 1);
            String c = e.substring(2);
            int port = GatewayProcess.freeTcpPort();
            cfg.get(l).append("[[peers]]\nid = \"gw-").append(c).append("\"\n")
                    .append("[[peers.transports]]\nlisten = \"127.0.0.1:").append(port).append("\"\n");
            cfg.get(c).append("[[peers]]\nid = \"gw-").append(l).append("\"\n")
                    .append("[[peers.transports]]\nconnect = \"127.0.0.1:").append(port).append("\"\n")
                    .append("reconnect_max_ms = 500\n");
        }
        for (String id : ids) {
            FerryRuntime rt = FerryRuntime.start(ConfigLoader.parse(cfg.get(id).toString(), id + ".toml"));
            gateways.add(rt);
            base.put(id, "http://127.0.0.1:" + rt.httpPort());
        }
        for (String e : edges) {
            GatewayProcess.awaitEvent(http, base.get(e.substring(0, 1)) + "/%23runtime/peers/gw-" + e.substring(2),
                    "\"live\":true");
            GatewayProcess.awaitEvent(http, base.get(e.substring(2)) + "/%23runtime/peers/gw-" + e.substring(0, 1),
                    "\"live\":true");
        }
    }

    private HttpResponse<String> post(String gw, String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base.get(gw) + path)).header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private String get(String gw, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base.get(gw) + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return r.body();
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void inALineAPassedExtensionReachesTheFarEndAndAPassFalseOneStops() throws Exception {
        start(List.of("a", "b", "c"), List.of("a-b", "b-c"));
        HttpResponse<String> sent = post("a", "/%23runtime/peers/gw-b/modify", "{\"id\": 77, \"text\": \"hello\"}");
        assertEquals(200, sent.statusCode(), sent.body());
        assertTrue(sent.body().contains("\"origin\":\"gw-a\""), sent.body());
        GatewayProcess.awaitEvent(http, base.get("c") + "/%23runtime/peers/gw-b/extensions", "\"id\":77");
        String atC = get("c", "/%23runtime/peers/gw-b/extensions");
        assertTrue(atC.contains("\"origin\":\"gw-a\"") && atC.contains("\"hops\":1")
                && atC.contains("\"data\":\"aGVsbG8=\"") && atC.contains("\"forwardedTo\":[]"), atC);
        String atB = get("b", "/%23runtime/peers/gw-a/extensions");
        assertTrue(atB.contains("\"hops\":0") && atB.contains("\"forwardedTo\":[\"gw-c\"]"), atB);

        // pass = false: B does not know 78, drops it (counted) and does not pass it on
        assertEquals(200, post("a", "/%23runtime/peers/gw-b/modify", "{\"id\": 78, \"pass\": false}").statusCode());
        GatewayProcess.awaitEvent(http, base.get("b") + "/%23runtime/peers/gw-a", "\"extensionsDropped\":1");
        // a marker sent after it reaches C; 78 never did (same link, same order)
        post("a", "/%23runtime/peers/gw-b/modify", "{\"id\": 79, \"text\": \"marker\"}");
        GatewayProcess.awaitEvent(http, base.get("c") + "/%23runtime/peers/gw-b/extensions", "\"id\":79");
        assertEquals(0, count(get("c", "/%23runtime/peers/gw-b/extensions"), "\"id\":78"));

        // the list of peers, with each transport's state and RTT
        String peers = get("b", "/%23runtime/peers");
        assertTrue(peers.startsWith("[") && peers.contains("\"id\":\"gw-a\"") && peers.contains("\"id\":\"gw-c\"")
                && peers.contains("\"state\":\"LIVE\"") && peers.contains("\"rttMicros\":"), peers);

        // what a careless user sends is refused with a reason
        HttpResponse<String> bad = post("a", "/%23runtime/peers/gw-b/modify", "{\"pass\": true}");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("id: required"), bad.body());
        HttpResponse<String> getModify = http.send(HttpRequest.newBuilder(URI.create(base.get("a")
                + "/%23runtime/peers/gw-b/modify")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, getModify.statusCode());
        HttpResponse<String> noPeer = post("a", "/%23runtime/peers/gw-x/modify", "{\"id\": 1}");
        assertEquals(404, noPeer.statusCode());
    }

    @Test
    void inATriangleAPassedExtensionGoesRoundOnceAndStops() throws Exception {
        start(List.of("a", "b", "c"), List.of("a-b", "b-c", "c-a"));
        assertEquals(200, post("a", "/%23runtime/peers/gw-b/modify", "{\"id\": 77, \"text\": \"round\"}").statusCode());
        // A -> B -> C -> A: A knows its own request and stops it there (counted as looped)
        GatewayProcess.awaitEvent(http, base.get("a") + "/%23runtime/metrics",
                "\"ferry_resi_extensions_total{peer=\\\"gw-c\\\",action=\\\"looped\\\"}\":1");
        // a second one, which also goes round once: anything the first left behind would show by now
        assertEquals(200, post("a", "/%23runtime/peers/gw-b/modify", "{\"id\": 78}").statusCode());
        GatewayProcess.awaitEvent(http, base.get("a") + "/%23runtime/metrics",
                "\"ferry_resi_extensions_total{peer=\\\"gw-c\\\",action=\\\"looped\\\"}\":2");
        String atB = get("b", "/%23runtime/peers/gw-a/extensions");
        String atC = get("c", "/%23runtime/peers/gw-b/extensions");
        assertEquals(1, count(atB, "\"id\":77"), atB);
        assertEquals(1, count(atC, "\"id\":77"), atC);
        assertTrue(atC.contains("\"forwardedTo\":[\"gw-a\"]"), atC);
        assertEquals(0, count(get("a", "/%23runtime/peers/gw-c/extensions"), "\"id\":77"), "A does not show its own");
        assertEquals(0, count(get("b", "/%23runtime/peers/gw-c/extensions"), "\"id\""),
                "C did not send it back to B, from where it came");
    }
}

package dev.ferry.edge.resi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.app.GatewayProcess;
import dev.ferry.edge.transport.proxy.TcpFaultProxy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 15: strict mode over two TCP transports, one of them through a relay that flips a bit in
 * a fifth of the envelopes it carries, both ways. Two real gateway processes; 2,000 HTTP requests
 * on B cross the link to A's runtime and back. Every one must succeed, the corrupting transport
 * must be blamed (bad copies counted on it, not on the clean one) and leave the live set, and the
 * logs must stay small: a corrupting path is a counter and a few transitions, not a line per copy.
 */
@Tag("system")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CorruptingRelayTest {
    private static final int REQUESTS = 2000;
    /** Log lines per gateway allowed for the whole run (start-up takes about 15). */
    private static final int LOG_LINES = 150;

    @Test
    void twoThousandRequestsSucceedInStrictModeThroughAByteFlippingRelayAndTheLogStaysSmall() throws Exception {
        Path dir = Files.createTempDirectory("ferry-corrupt");
        int t0 = GatewayProcess.freeTcpPort();
        int t1 = GatewayProcess.freeTcpPort();
        int httpB = GatewayProcess.freeTcpPort();
        // 500 ms pings: a loaded machine must not silence the clean transport (the link would go down)
        String peerKeys = "mode = \"strict\"\nping_interval_ms = 500\n";
        try (GatewayProcess a = GatewayProcess.start(dir, "a", String.join("\n",
                     "[node]", "id = \"gw-a\"", "[http]", "enabled = false",
                     "[[peers]]", "id = \"gw-b\"", peerKeys,
                     "[[peers.transports]]", "listen = \"127.0.0.1:" + t0 + "\"",
                     "[[peers.transports]]", "listen = \"127.0.0.1:" + t1 + "\"", ""));
             TcpFaultProxy relay = new TcpFaultProxy(new InetSocketAddress("127.0.0.1", t0))) {
            a.awaitPort(t1);
            relay.toServer.corrupt(0.2);
            relay.toClient.corrupt(0.2);
            try (GatewayProcess b = GatewayProcess.start(dir, "b", String.join("\n",
                    "[node]", "id = \"gw-b\"", "[http]", "listen = \"127.0.0.1:" + httpB + "\"",
                    "[[peers]]", "id = \"gw-a\"", peerKeys,
                    "[[peers.transports]]", "connect = \"127.0.0.1:" + relay.address().getPort() + "\"",
                    "reconnect_max_ms = 1000",
                    "[[peers.transports]]", "connect = \"127.0.0.1:" + t1 + "\"",
                    "[[routes]]", "prefix = \"/a\"", "to = \"peer:gw-a\"", ""))) {
                b.awaitPort(httpB);
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                String base = "http://127.0.0.1:" + httpB;
                GatewayProcess.awaitEvent(http, base + "/%23runtime/peers/gw-a", "\"live\":true");

                AtomicInteger ok = new AtomicInteger();
                List<String> failures = new ArrayList<>();
                ExecutorService pool = Executors.newFixedThreadPool(4);
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < REQUESTS / 4; i++) {
                            try {
                                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                        URI.create(base + "/a/%23runtime/node")).timeout(Duration.ofSeconds(30)).build(),
                                        HttpResponse.BodyHandlers.ofString());
                                if (r.statusCode() == 200 && r.body().contains("\"id\":\"gw-a\"")) {
                                    ok.incrementAndGet();
                                } else {
                                    synchronized (failures) {
                                        failures.add(r.statusCode() + " " + r.body());
                                    }
                                }
                            } catch (Exception e) {
                                synchronized (failures) {
                                    failures.add(e.toString());
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                pool.shutdown();
                assertEquals(List.of(), failures.subList(0, Math.min(5, failures.size())));
                assertEquals(REQUESTS, ok.get());
                assertTrue(relay.toServer.corrupted() + relay.toClient.corrupted() > 100,
                        "the relay corrupted " + relay.toServer.corrupted() + " + " + relay.toClient.corrupted());

                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base
                        + "/%23runtime/peers/gw-a")).build(), HttpResponse.BodyHandlers.ofString());
                String h = health.body();
                long bad0 = field(h, "badCopies", 0);
                long bad1 = field(h, "badCopies", 1);
                assertTrue(bad0 > 0, "bad copies blamed on the relayed transport: " + h);
                assertEquals(0, bad1, "none on the clean one: " + h);
                assertTrue(h.contains("\"peerChecks\":true"), h);
                HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base
                        + "/%23runtime/metrics")).build(), HttpResponse.BodyHandlers.ofString());
                assertTrue(metrics.body().contains("ferry_resi_bad_copies_total{peer=\\\"gw-a\\\",transport=\\\"0\\\""),
                        metrics.body());
                assertTrue(b.logText().contains("left the live set: 8 of its envelopes failed their integrity check")
                        || a.logText().contains("left the live set: 8 of its envelopes failed their integrity check"),
                        "the corrupting transport left the live set (logged once per transition)");
                long linesA = a.logLines();
                long linesB = b.logLines();
                System.out.println("log lines: A " + linesA + ", B " + linesB + "; corrupted "
                        + relay.toServer.corrupted() + " + " + relay.toClient.corrupted() + "; B: " + h);
                assertTrue(linesA <= LOG_LINES, "A wrote " + linesA + " lines:\n" + a.logText());
                assertTrue(linesB <= LOG_LINES, "B wrote " + linesB + " lines:\n" + b.logText());
            }
        }
    }

    /** The {@code index}-th occurrence of {@code "name":N} in {@code json}. */
    private static long field(String json, String name, int index) {
        int at = -1;
        for (int i = 0; i <= index; i++) {
            at = json.indexOf("\"" + name + "\":", at + 1);
            if (at < 0) {
                throw new AssertionError(name + " #" + index + " not in " + json);
            }
        }
        int from = at + name.length() + 3;
        int to = from;
        while (to < json.length() && Character.isDigit(json.charAt(to))) {
            to++;
        }
        return Long.parseLong(json.substring(from, to));
    }
}

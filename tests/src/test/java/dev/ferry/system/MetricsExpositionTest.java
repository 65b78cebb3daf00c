package dev.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} of a whole gateway, read by the official Prometheus Python client's parser
 * (Debian's {@code python3-prometheus-client}): gateway A with a simulated MCU, a line whose port
 * path holds {@code "} and {@code \} (it never opens; its series still carry the path), and a
 * RESI link over TCP and UDP to gateway B. Every family must parse, be announced once, have a
 * {@code # HELP}, and be typed as its name says; the serial and RESI figures that used to be
 * hidden must be there.
 */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MetricsExpositionTest {
    private static final String PY = "/usr/bin/python3";
    private static final String ODD_PORT = "/tmp/ferry-no\"such\\port";

    @TempDir
    Path dir;

    @Test
    void wholeGatewayExpositionParsesWithThePrometheusClientAndDocumentsEveryFamily() throws Exception {
        int tcp = GatewayProcess.freeTcpPort();
        int udp = GatewayProcess.freeUdpPort();
        int httpA = GatewayProcess.freeTcpPort();
        Path a = dir.resolve("a.toml");
        Files.writeString(a, String.join("\n",
                "[node]", "id = \"gw-a\"",
                "[http]", "listen = \"127.0.0.1:" + httpA + "\"",
                "[[lines]]", "name = \"sim0\"", "simulate = true",
                "[[lines]]", "name = \"odd\"", "port = \"" + ODD_PORT.replace("\\", "\\\\").replace("\"", "\\\"") + "\"",
                "[[devices]]", "name = \"dev0\"", "line = \"sim0\"", "address = 1", "mount = \"/dev0\"",
                "[[devices]]", "name = \"ghost\"", "line = \"odd\"", "address = 1", "mount = \"/ghost\"",
                "[[peers]]", "id = \"gw-b\"",
                "[[peers.transports]]", "kind = \"tcp\"", "listen = \"127.0.0.1:" + tcp + "\"",
                "[[peers.transports]]", "kind = \"udp\"", "listen = \"127.0.0.1:" + udp + "\"", ""));
        Path b = dir.resolve("b.toml");
        Files.writeString(b, String.join("\n",
                "[node]", "id = \"gw-b\"", "[http]", "enabled = false",
                "[[peers]]", "id = \"gw-a\"",
                "[[peers.transports]]", "kind = \"tcp\"", "connect = \"127.0.0.1:" + tcp + "\"",
                "[[peers.transports]]", "kind = \"udp\"", "connect = \"127.0.0.1:" + udp + "\"", ""));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String base = "http://127.0.0.1:" + httpA;
        try (GatewayProcess ga = GatewayProcess.start(a); GatewayProcess gb = GatewayProcess.start(b)) {
            ga.awaitPort(httpA);
            Repo.awaitAttached(http, base, "dev0");
            Repo.awaitEvent(http, base + "/%23runtime/peers/gw-b", "\"live\":true");
            // the link is live with one transport; the figures below need both, each with a round trip
            Repo.awaitEvent(http, base + "/%23runtime/peers/gw-b",
                    line -> line.split("\"state\":\"LIVE\"", -1).length == 3 && !line.contains("\"rttMicros\":-1"));
            assertEquals(200, get(http, base + "/dev0/info").statusCode());
            assertEquals(400, get(http, base + "/a%00b").statusCode(), "a drop, so a labelled drop counter exists");

            HttpResponse<String> r = get(http, base + "/metrics");
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            Files.writeString(dir.resolve("metrics.txt"), r.body());
            List<String> parsed = parse(r.body());
            Map<String, String> types = new LinkedHashMap<>();
            List<String> problems = new ArrayList<>();
            String family = null;
            for (String line : parsed) {
                if (line.startsWith("F ")) {
                    String[] f = line.split(" ", 4);
                    family = f[2];
                    types.put(family, f[1]);
                    if (f.length < 4 || f[3].isBlank()) {
                        problems.add("no # HELP for " + family);
                    }
                } else {
                    String sample = line.split(" ", 3)[1];
                    boolean counterName = sample.endsWith("_total");
                    if (counterName != "counter".equals(types.get(family))) {
                        problems.add(sample + " is in a family typed " + types.get(family));
                    }
                }
            }
            assertEquals(List.of(), problems, "exposition kept at " + dir.resolve("metrics.txt"));

            String oddJson = "\"port\": \"" + ODD_PORT.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            assertTrue(parsed.stream().anyMatch(l -> l.startsWith("S ferry_line_bytes_in_total ") && l.contains(oddJson)),
                    "the odd port path comes back exactly: " + oddJson);
            for (String f : List.of("ferry_device_retransmissions", "ferry_device_rnr", "ferry_device_rejects",
                    "ferry_device_frames_ignored", "ferry_line_frame_errors", "ferry_router_messages",
                    "ferry_http_dropped", "ferry_resi_sent", "ferry_resi_pings_sent",
                    "ferry_resi_transport_envelopes")) {
                assertEquals("counter", types.get(f), f + " is a counter family: " + types.keySet());
            }
            for (String f : List.of("ferry_device_attached", "ferry_resi_transport_live", "ferry_resi_rtt_microseconds",
                    "ferry_streams_open", "ferry_http_connections")) {
                assertEquals("gauge", types.get(f), f + " is a gauge family");
            }
            for (String dirn : List.of("to_device", "from_device")) {
                assertTrue(parsed.stream().anyMatch(l -> l.startsWith("S ferry_device_rnr_total ")
                        && l.contains("\"direction\": \"" + dirn + "\"") && l.contains("\"device\": \"dev0\"")),
                        "RNR " + dirn);
            }
            for (String t : List.of("0", "1")) {
                assertTrue(parsed.stream().anyMatch(l -> l.startsWith("S ferry_resi_transport_envelopes_total ")
                        && !l.startsWith("S ferry_resi_transport_envelopes_total 0 ")
                        && l.contains("\"direction\": \"in\"") && l.contains("\"transport\": \"" + t + "\"")),
                        "transport " + t + " carried envelopes from gw-b");
            }
            assertFalse(types.isEmpty());
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The parser's view, one line per family and per series (see parse_exposition.py). */
    private List<String> parse(String exposition) throws Exception {
        Path script = dir.resolve("parse_exposition.py");
        try (InputStream in = getClass().getResourceAsStream("/prometheus/parse_exposition.py")) {
            Files.copy(in, script);
        }
        Process check = new ProcessBuilder(PY, "-c", "import prometheus_client").redirectErrorStream(true).start();
        assertTrue(check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0,
                "the Prometheus Python client is missing: apt-get install python3-prometheus-client");
        Process p = new ProcessBuilder(PY, script.toString()).redirectError(dir.resolve("parse.err").toFile()).start();
        try (var stdin = p.getOutputStream()) {
            stdin.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "parser did not finish");
        assertEquals(0, p.exitValue(), "the Prometheus parser refused /metrics: "
                + Files.readString(dir.resolve("parse.err")));
        return out.lines().toList();
    }
}

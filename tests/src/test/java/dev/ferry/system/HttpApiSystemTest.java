package dev.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP API of a real gateway process against the host-sim firmware (docs/http-api.md): the
 * query string reaches the device as its parameter, an SSE observation names its stream path and
 * can be cancelled by it, a request larger than the device takes is refused at once with 413, and
 * {@code /#runtime/openapi.json} describes the device's resources as its {@code #schema} says
 * (read with Python's json; validated with swagger-parser when .ci/run installed it).
 */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpApiSystemTest {
    private static GatewayProcess gateway;
    private static HttpClient http;
    private static String base;
    private static Path dir;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("ferry-http-api");
        int port = GatewayProcess.freeTcpPort();
        Path cfg = dir.resolve("gw.toml");
        Files.writeString(cfg, String.join("\n",
                "[node]", "id = \"gw-api\"",
                "[http]", "listen = \"127.0.0.1:" + port + "\"",
                "[[lines]]", "name = \"sim0\"", "simulate = true",
                "[[devices]]", "name = \"dev0\"", "line = \"sim0\"", "address = 1", "mount = \"/dev0\"", ""));
        gateway = GatewayProcess.start(cfg);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        base = "http://127.0.0.1:" + port;
        gateway.awaitPort(port);
        Repo.awaitAttached(http, base, "dev0");
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpRequest.Builder req(String rawPath) {
        return HttpRequest.newBuilder(URI.create(base + rawPath));
    }

    @Test
    void theQueryStringIsTheDevicesParameter() throws Exception {
        assertEquals(4096, send(req("/dev0/blob")).body().length, "the firmware's default");
        assertEquals(64 * 1024, send(req("/dev0/blob?kib=64")).body().length, "?kib=64 reaches the device");
        assertEquals(2 * 1024, send(req("/dev0/blob?2")).body().length);
        HttpResponse<byte[]> both = send(req("/dev0/blob?kib=8").header("Content-Type", "application/json")
                .method("GET", HttpRequest.BodyPublishers.ofString("16")));
        assertEquals(400, both.statusCode(), "a parameter in the query and in the body is refused");
        assertEquals(400, send(req("/dev0/blob?kib=1&kib=2")).statusCode());
    }

    @Test
    void aRequestTooLargeForTheDeviceIsRefusedAtOnce() throws Exception {
        byte[] fits = "x".repeat(3000).getBytes(StandardCharsets.US_ASCII);
        HttpResponse<byte[]> ok = send(req("/dev0/echo").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofByteArray(fits)));
        assertEquals(3000, ok.body().length, "3000 bytes fit the host-sim's 4096");
        long t0 = System.nanoTime();
        HttpResponse<byte[]> big = send(req("/dev0/echo").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[5000])));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(413, big.statusCode(), new String(big.body(), StandardCharsets.UTF_8));
        assertTrue(new String(big.body(), StandardCharsets.UTF_8).contains("4096"));
        System.out.println("413 after " + ms + " ms (the request timeout is 5000 ms)");
        HttpResponse<byte[]> metrics = send(req("/metrics"));
        assertTrue(new String(metrics.body(), StandardCharsets.UTF_8)
                .contains("ferry_device_refused_total{device=\"dev0\",reason=\"too_large\"} 1"));
    }

    @Test
    void anSseObservationNamesItsStreamAndIsCancelledByIt() throws Exception {
        HttpResponse<InputStream> r = http.send(req("/dev0/sensors/temp?ms=50").header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        String stream = r.headers().firstValue("x-ferry-stream").orElseThrow();
        assertTrue(stream.startsWith("/dev0/sensors/temp#streams/"), stream);
        BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
        assertEquals("event: stream", in.readLine());
        assertEquals("data: {\"stream\":\"" + stream + "\"}", in.readLine());
        HttpResponse<byte[]> cancel = send(req(stream.replace("#", "%23")).DELETE());
        assertEquals(200, cancel.statusCode(), new String(cancel.body(), StandardCharsets.UTF_8));
        int events = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            events += line.startsWith("id: ") ? 1 : 0;
            assertTrue(events < 1000, "the stream ended after the cancel");
        }
    }

    @Test
    void openApiDescribesTheDevicesResourcesFromTheirSchema() throws Exception {
        // the catalog reads the device's schemas after it attached; the document is observable
        Repo.awaitEvent(http, base + "/%23runtime/openapi.json", "\"/dev0/time\"");
        HttpResponse<byte[]> r = send(req("/%23runtime/openapi.json"));
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
        Path doc = dir.resolve("openapi.json");
        Files.write(doc, r.body());
        List<String> ops = python(doc, "import json,sys\n"
                + "d = json.load(open(sys.argv[1]))\n"
                + "assert d['openapi'].startswith('3.'), d['openapi']\n"
                + "for p, item in sorted(d['paths'].items()):\n"
                + "    for verb, op in sorted(item.items()):\n"
                + "        q = [x['name'] for x in op.get('parameters', []) if x['in'] == 'query']\n"
                + "        media = sorted(op['responses'].get('200', {}).get('content', {}))\n"
                + "        print(p, verb, ','.join(q) or '-', ','.join(media) or '-')\n");
        for (String want : List.of(
                "/dev0/info get - application/json",
                "/dev0/info head - -",
                "/dev0/sensors/temp get ms application/json,application/x-ndjson,text/event-stream",
                "/dev0/leds/0 put - application/json",
                "/dev0/echo post - */*",
                "/dev0/blob get kib application/octet-stream",
                "/%23runtime/devices get - application/json,application/x-ndjson,text/event-stream")) {
            assertTrue(ops.contains(want), want + " in\n" + String.join("\n", ops));
        }
        assertTrue(ops.stream().noneMatch(o -> o.startsWith("/dev0/info put") || o.startsWith("/dev0/echo get")),
                "only the verbs the schema lists:\n" + String.join("\n", ops));
        Path validator = Repo.root().resolve(".ci/node/node_modules/@apidevtools/swagger-parser");
        assumeTrue(Files.isDirectory(validator) && Files.isExecutable(Path.of("/usr/bin/node")),
                "swagger-parser not installed (.ci/run installs it into .ci/node); the JSON checks above passed");
        Path js = dir.resolve("validate.js");
        Files.writeString(js, "const p = require(process.argv[2]);\n"
                + "p.validate(process.argv[3]).then(a => console.log('valid ' + Object.keys(a.paths).length))\n"
                + "  .catch(e => { console.error(e.message); process.exit(2); });\n");
        Process node = new ProcessBuilder("/usr/bin/node", js.toString(), validator.toString(), doc.toString())
                .redirectErrorStream(true).start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, node.exitValue(), "swagger-parser: " + out);
        assertTrue(out.startsWith("valid "), out);
    }

    private static List<String> python(Path doc, String script) throws Exception {
        Path py = dir.resolve("summary.py");
        Files.writeString(py, script);
        Process p = new ProcessBuilder("/usr/bin/python3", py.toString(), doc.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out.lines().toList();
    }
}

package dev.ferry.bench;

import dev.ferry.edge.app.FerryRuntime;
import dev.ferry.edge.config.ConfigLoader;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import dev.ferry.sim.LineSimulator;
import dev.ferry.sim.NativeTools;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Issue 5, figure 4: HTTP GET of an MCU resource through the whole runtime in this process
 * (loopback HTTP client → LAN facade → router → bus master → pty → host-sim and back), with the
 * line either paced by the {@link LineSimulator} at {@code --baud} ("sim") or the host-sim
 * firmware's own pty ({@code simulate = true}, unpaced: "direct").
 *
 * <pre>
 * java -cp ... dev.ferry.bench.HttpBenchLatency [--samples 500] [--warmup 50] [--baud 115200]
 *                                               [--modes sim,direct] [--path /dev0/info]
 * </pre>
 *
 * The serial wire floor is the request's I-frame plus the reply's I-frame (with its leading 00)
 * at 10 bits per byte, computed with the Java encoders for the reply body received and a
 * facade request path of the form {@code /#lan/1/100} (within a byte or two of the real one).
 */
public final class HttpBenchLatency {
    private HttpBenchLatency() {
    }

    public static void main(String[] argv) throws Exception {
        BenchSamples.quietLogs();
        Map<String, String> a = BenchSamples.args(argv);
        int samples = BenchSamples.intArg(a, "samples", 500);
        int warmup = BenchSamples.intArg(a, "warmup", 50);
        int baud = BenchSamples.intArg(a, "baud", 115200);
        String path = a.getOrDefault("path", "/dev0/info");
        System.setProperty("ferry.boards", NativeTools.repoRoot().resolve("boards").toString());
        System.out.printf(Locale.ROOT, "HTTP GET %s through FerryRuntime (in-process), %d samples, keep-alive client%n",
                path, samples);
        System.out.println("| line | wire floor ms | min ms | median ms | p99 ms | median - floor ms |");
        System.out.println("|---|---|---|---|---|---|");
        for (String mode : a.getOrDefault("modes", "sim,direct").split(",")) {
            run(mode.trim(), baud, path, samples, warmup);
        }
    }

    private static void run(String mode, int baud, String path, int samples, int warmup) throws Exception {
        java.nio.file.Path work = Files.createTempDirectory("ferry-httpbench");
        LineSimulator sim = null;
        Process fw = null;
        FerryRuntime ferry = null;
        try {
            String line;
            if (mode.equals("sim")) {
                java.nio.file.Path dev = work.resolve("dev0");
                sim = new LineSimulator(new LineSimulator.Config(work.resolve("host"), List.of(dev), work, baud, 0, 0, 1,
                        false)).start();
                fw = new ProcessBuilder(NativeTools.hostSim().toString(), "--tty", dev.toString(), "--addr", "1")
                        .redirectErrorStream(true).redirectOutput(work.resolve("fw.log").toFile()).start();
                line = "port = \"" + sim.hostPath() + "\"\nbaud = " + baud;
            } else if (mode.equals("direct")) {
                line = "simulate = true\nbaud = " + baud;
            } else {
                throw new IllegalArgumentException("mode sim or direct: " + mode);
            }
            String toml = String.join("\n", "[http]", "listen = \"127.0.0.1:0\"", "[logging]", "level = \"warn\"",
                    "[[lines]]", "name = \"l0\"", line, "[[devices]]", "name = \"dev0\"", "line = \"l0\"",
                    "address = 1", "mount = \"/dev0\"", "");
            ferry = FerryRuntime.start(ConfigLoader.parse(toml, "bench.toml"));
            String base = "http://127.0.0.1:" + ferry.httpPort();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            awaitAttached(http, base);
            HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET().build();
            BenchSamples s = new BenchSamples(samples);
            byte[] body = null;
            for (int i = 0; i < warmup + samples; i++) {
                long t0 = System.nanoTime();
                HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                long t1 = System.nanoTime();
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("GET " + path + ": HTTP " + r.statusCode());
                }
                body = r.body();
                if (i >= warmup) {
                    s.add(t1 - t0);
                }
            }
            double floor = floorMs(path, body, baud);
            System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f | %+.3f |%n",
                    mode.equals("sim") ? "line simulator, " + baud + " baud (paced)" : "host-sim's own pty (unpaced)",
                    floor, s.minMs(), s.medianMs(), s.percentileMs(99), s.medianMs() - floor);
        } finally {
            BenchCleanup.stop(ferry, fw, sim, work);
        }
    }

    /** Serial wire floor of the exchange, for a paced line at {@code baud}. */
    static double floorMs(String httpPath, byte[] replyBody, int baud) {
        String mcuPath = httpPath.substring(httpPath.indexOf('/', 1));
        Path from = Path.of("/#lan/1/100");
        Message req = Message.builder(Verb.GET, Path.of(mcuPath), from).build();
        Message rep = Message.builder(Verb.REP, from, Path.of(mcuPath + "#streams/100"))
                .body(BodyType.JSON, replyBody).build();
        int wire = SerialBenchRig.wireBytes(req, 1, 256) + 1 + SerialBenchRig.wireBytes(rep, 1, 256);
        return wire * 10_000.0 / baud;
    }

    /** Polls /#runtime/devices until dev0 is ATTACHED (bench set-up, not a test: polling is fine). */
    static void awaitAttached(HttpClient http, String base) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/%23runtime/devices"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            try {
                String b = http.send(req, HttpResponse.BodyHandlers.ofString()).body();
                if (b.contains("\"state\":\"ATTACHED\"")) {
                    return;
                }
                seen.add(b);
            } catch (IOException e) {
                seen.add(e.toString());
            }
            Thread.sleep(100);
        }
        throw new IOException("dev0 not ATTACHED within 30 s: " + (seen.isEmpty() ? "" : seen.get(seen.size() - 1)));
    }
}

package dev.ferry.bench;

import dev.ferry.edge.app.FerryRuntime;
import dev.ferry.edge.config.ConfigLoader;
import dev.ferry.sim.LineSimulator;
import dev.ferry.sim.NativeTools;
import dev.ferry.sim.SimGaps;
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

/**
 * Issue 18: RP/serial version 1 against version 2 on the same paced line, in one run. For each
 * version: the whole runtime in this process (HTTP on loopback → router → bus master) → {@code
 * ferry-linesim} at {@code --baud} → one host-sim station, and
 *
 * <ul>
 *   <li>idle line share: medium bytes per second with nothing to do, over {@code --idle-seconds};
 *   <li>sequential round trip of {@code GET /s1/leds/0} (one keep-alive client): median and p99,
 *       and the wire time of the exchange's own bytes (medium bytes per exchange at 10 bits/byte);
 *   <li>exchanges per second with 1, 4 and 16 concurrent keep-alive clients for {@code --seconds}
 *       each, and medium bytes per exchange (everything on the medium, polls included, divided
 *       by the exchanges).
 * </ul>
 *
 * The medium bytes come from the simulator's own count of bytes it put on the line.
 *
 * <pre>
 * java -cp ... dev.ferry.bench.SerialBenchWire [--versions 1,2] [--baud 115200] [--seconds 8]
 *                                              [--samples 400] [--idle-seconds 5] [--clients 1,4,16]
 *                                              [--window K (both sides; default: each side's own)]
 * </pre>
 */
public final class SerialBenchWire {
    private static final String PATH = "/s1/leds/0";

    private SerialBenchWire() {
    }

    public static void main(String[] argv) throws Exception {
        BenchSamples.quietLogs();
        Map<String, String> a = BenchSamples.args(argv);
        int baud = BenchSamples.intArg(a, "baud", 115200);
        int seconds = BenchSamples.intArg(a, "seconds", 8);
        int samples = BenchSamples.intArg(a, "samples", 400);
        int idleSeconds = BenchSamples.intArg(a, "idle-seconds", 5);
        int window = BenchSamples.intArg(a, "window", 0);
        System.setProperty("ferry.boards", NativeTools.repoRoot().resolve("boards").toString());
        List<String> rows = new ArrayList<>();
        for (String v : a.getOrDefault("versions", "1,2").split(",")) {
            rows.addAll(run(Integer.parseInt(v.trim()), baud, window, seconds, samples, idleSeconds,
                    a.getOrDefault("clients", "1,4,16")));
        }
        System.out.printf(Locale.ROOT, "%n%d baud, one host-sim station through ferry-linesim, GET %s%n", baud, PATH);
        System.out.println("| version | figure | value |");
        System.out.println("|---|---|---|");
        rows.forEach(System.out::println);
    }

    /**
     * Where the line's time went over an interval, per exchange, from the simulator's gap
     * accounting: wire (bytes on the medium), host gaps (a station's last byte -> the host's next
     * first byte: bus master, host pty, and any wait for work), station gaps (the host's last byte
     * -> the station's answer: rig and firmware), and turns per exchange.
     */
    static String decompose(SimGaps g, double seconds, long exchanges) {
        double n = Math.max(1, exchanges);
        double other = g.same().totalMicros() + g.other().totalMicros();
        double silent = seconds * 1e6 - g.busyMicros() - g.host().totalMicros() - g.station().totalMicros() - other;
        return String.format(Locale.ROOT, "per exchange: %.2f turns, wire %.0f µs, host gaps %.0f µs (turn mean %.0f / "
                + "p50 %d / p99 %d), station gaps %.0f µs (mean %.0f / p50 %d / p99 %d), other %.0f µs, silent %.0f µs",
                g.station().count() / n, g.busyMicros() / n, g.host().totalMicros() / n, g.host().meanMicros(),
                g.host().p50Micros(), g.host().p99Micros(), g.station().totalMicros() / n, g.station().meanMicros(),
                g.station().p50Micros(), g.station().p99Micros(), other / n, silent / n);
    }

    private static List<String> run(int version, int baud, int window, int seconds, int samples, int idleSeconds,
                                    String clients) throws Exception {
        java.nio.file.Path work = Files.createTempDirectory("ferry-wirebench");
        List<String> rows = new ArrayList<>();
        LineSimulator sim = null;
        Process fw = null;
        FerryRuntime ferry = null;
        double bytesPerSecond = baud / 10.0;
        try {
            java.nio.file.Path dev = work.resolve("dev0");
            sim = new LineSimulator(new LineSimulator.Config(work.resolve("host"), List.of(dev), work, baud, 0, 0, 1,
                    false)).start();
            List<String> cmd = new ArrayList<>(List.of(NativeTools.hostSim().toString(), "--tty", dev.toString(),
                    "--addr", "1"));
            String windowKey = "";
            if (window > 0) {                                 // both sides offer it (default: each side's own)
                cmd.addAll(List.of("--window", Integer.toString(window)));
                windowKey = "window = " + window;
            }
            fw = new ProcessBuilder(cmd)
                    .redirectErrorStream(true).redirectOutput(work.resolve("fw.log").toFile()).start();
            String toml = String.join("\n", "[http]", "listen = \"127.0.0.1:0\"", "[logging]", "level = \"warn\"",
                    "[[lines]]", "name = \"l0\"", "port = \"" + sim.hostPath() + "\"", "baud = " + baud,
                    "protocol = " + version, windowKey, "[[devices]]", "name = \"s1\"", "line = \"l0\"", "address = 1",
                    "mount = \"/s1\"", "");
            ferry = FerryRuntime.start(ConfigLoader.parse(toml, "bench.toml"));
            String base = "http://127.0.0.1:" + ferry.httpPort();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            HttpBenchLatency.awaitAttached(http, base);
            HttpRequest req = HttpRequest.newBuilder(URI.create(base + PATH)).timeout(Duration.ofSeconds(10)).GET().build();
            for (int i = 0; i < 50; i++) {                    // warm-up (and the resource table on v2)
                http.send(req, HttpResponse.BodyHandlers.discarding());
            }
            String p = "| " + version + " | ";

            Thread.sleep(1000);                               // let the idle gap reach its maximum
            long b0 = sim.counters().bytesSent.get();
            long t0 = System.nanoTime();
            Thread.sleep(idleSeconds * 1000L);
            double idle = (sim.counters().bytesSent.get() - b0) / ((System.nanoTime() - t0) / 1e9);
            rows.add(String.format(Locale.ROOT, "%sidle medium B/s (line share) | %.0f (%.1f %%) |", p, idle,
                    100 * idle / bytesPerSecond));

            // sequential: the lean blocking client (what Ferry costs), then java.net.http (what a
            // typical Java client sees: its own thread hand-offs included)
            b0 = sim.counters().bytesSent.get();
            sim.resetGaps();
            String load = BenchSamples.load();
            long s0 = System.nanoTime();
            BenchSamples rtt = HttpBenchLoad.sequential("127.0.0.1", ferry.httpPort(), PATH, 0, samples);
            double seqSeconds = (System.nanoTime() - s0) / 1e9;
            SimGaps seqGaps = sim.gaps();
            double seqBytes = (sim.counters().bytesSent.get() - b0) / (double) samples;
            double wireMs = seqBytes * 1000 / bytesPerSecond;
            rows.add(String.format(Locale.ROOT, "%ssequential: medium B per exchange | %.1f |", p, seqBytes));
            rows.add(String.format(Locale.ROOT, "%ssequential RTT median / p99 ms, lean client (wire time of its bytes) | "
                    + "%.3f / %.3f (%.3f; median - wire = %+.3f; %s) |", p, rtt.medianMs(), rtt.percentileMs(99), wireMs,
                    rtt.medianMs() - wireMs, load));
            rows.add(p + "sequential, where the time goes | " + decompose(seqGaps, seqSeconds, samples) + " |");
            BenchSamples jdk = new BenchSamples(samples);
            for (int i = 0; i < samples; i++) {
                long s = System.nanoTime();
                HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                jdk.add(System.nanoTime() - s);
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("GET " + PATH + ": HTTP " + r.statusCode());
                }
            }
            rows.add(String.format(Locale.ROOT, "%ssequential RTT median / p99 ms, java.net.http client | "
                    + "%.3f / %.3f (median - wire = %+.3f; %s) |", p, jdk.medianMs(), jdk.percentileMs(99),
                    jdk.medianMs() - wireMs, BenchSamples.load()));

            for (String c : clients.split(",")) {
                int n = Integer.parseInt(c.trim());
                b0 = sim.counters().bytesSent.get();
                sim.resetGaps();
                load = BenchSamples.load();
                long s = System.nanoTime();
                // no-cache: each request its own exchange on the line (identical GETs in flight are otherwise
                // answered by one read, and the figure would count answers, not exchanges)
                double[] r = HttpBenchLoad.run("127.0.0.1", ferry.httpPort(), PATH, "Cache-Control: no-cache\r\n", n,
                        seconds);
                double elapsed = (System.nanoTime() - s) / 1e9;
                SimGaps g = sim.gaps();
                double medium = sim.counters().bytesSent.get() - b0;
                double exchanges = r[0] * elapsed;
                rows.add(String.format(Locale.ROOT, "%s%d clients: exchanges/s, medium B per exchange, line busy | "
                        + "%.0f, %.1f B, %.0f %% (%.0f errors; %s) |", p, n, r[0], medium / exchanges,
                        100 * medium / elapsed / bytesPerSecond, r[1], load));
                rows.add(p + n + " clients, where the time goes | " + decompose(g, elapsed, (long) exchanges) + " |");
            }
            System.out.printf(Locale.ROOT, "version %d done: %s%n", version, sim.counters());
        } finally {
            BenchCleanup.stop(ferry, fw, sim, work);
        }
        return rows;
    }
}

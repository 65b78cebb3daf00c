package dev.ferry.bench;

import dev.ferry.sim.NativeTools;
import java.net.DatagramSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Issue 6, memory figure: two real gateways ({@code java -jar ferry.jar}) joined by a RESI peer
 * link over TCP + UDP, under steady load for {@code --seconds} (600 = the 10 minutes):
 * HTTP GETs on gateway B for a runtime resource of gateway A, so every request and reply crosses
 * the link on both transports. Prints both gateways' RSS every {@code --every} seconds, then the
 * growth from the first sample after warm-up to the end, and the link's counters. "service" flags
 * are the installed service's ({@link FerryChild#launcherFlags()}).
 *
 * <pre>
 * java -cp ... dev.ferry.bench.ResiSoak [--seconds 600] [--every 30] [--connections 4]
 *      [--mode permissive|strict] [--flags service|default|small] [--jar edge-runtime/target/ferry.jar]
 * </pre>
 */
public final class ResiSoak {
    private ResiSoak() {
    }

    public static void main(String[] argv) throws Exception {
        BenchSamples.quietLogs();
        Map<String, String> a = BenchSamples.args(argv);
        int seconds = BenchSamples.intArg(a, "seconds", 600);
        int every = BenchSamples.intArg(a, "every", 30);
        int connections = BenchSamples.intArg(a, "connections", 4);
        String mode = a.getOrDefault("mode", "permissive");
        String flagSet = a.getOrDefault("flags", "service");
        List<String> flags = flagSet.equals("service") ? FerryChild.launcherFlags() : HttpBenchFacade.FLAGS.get(flagSet);
        Path jar = Path.of(a.getOrDefault("jar",
                NativeTools.repoRoot().resolve("edge-runtime/target/ferry.jar").toString()));
        int tcp = FerryChild.freePort();
        int udp;
        try (DatagramSocket s = new DatagramSocket(0)) {
            udp = s.getLocalPort();
        }
        int httpA = FerryChild.freePort();
        int httpB = FerryChild.freePort();
        List<String> configA = List.of("[node]", "id = \"gw-a\"", "[http]", "listen = \"127.0.0.1:" + httpA + "\"",
                "[logging]", "level = \"warn\"",
                "[[lines]]", "name = \"sim0\"", "simulate = true",
                "[[devices]]", "name = \"dev0\"", "line = \"sim0\"", "address = 1", "mount = \"/dev0\"",
                "[[peers]]", "id = \"gw-b\"", "mode = \"" + mode + "\"",
                "offers = [\"/dev0\", \"/#runtime/node\", \"/#runtime/devices\"]",
                "[[peers.transports]]", "kind = \"tcp\"", "listen = \"127.0.0.1:" + tcp + "\"",
                "[[peers.transports]]", "kind = \"udp\"", "listen = \"127.0.0.1:" + udp + "\"");
        List<String> configB = List.of("[node]", "id = \"gw-b\"", "[http]", "listen = \"127.0.0.1:" + httpB + "\"",
                "[logging]", "level = \"warn\"",
                "[[peers]]", "id = \"gw-a\"", "mode = \"" + mode + "\"",
                "[[peers.transports]]", "kind = \"tcp\"", "connect = \"127.0.0.1:" + tcp + "\"",
                "[[peers.transports]]", "kind = \"udp\"", "connect = \"127.0.0.1:" + udp + "\"",
                "[[routes]]", "prefix = \"/a\"", "to = \"peer:gw-a\"");
        String path = "/a/%23runtime/node";
        System.out.printf(Locale.ROOT, "RESI soak: %s, TCP + UDP, %d s, GET %s on B with %d connections, JVM %s%n",
                mode, seconds, path, connections, flagSet);
        try (FerryChild gwA = FerryChild.start(jar, flags, "2", String.join("\n", configA) + "\n");
             FerryChild gwB = FerryChild.start(jar, flags, "2", String.join("\n", configB) + "\n")) {
            gwA.awaitPort(httpA);
            HttpBenchLatency.awaitAttached(HttpClient.newHttpClient(), "http://127.0.0.1:" + httpB + "/a");
            AtomicReference<double[]> load = new AtomicReference<>();
            Thread loader = new Thread(() -> {
                try {
                    load.set(HttpBenchLoad.run("127.0.0.1", httpB, path, connections, seconds));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "soak-load");
            loader.start();
            System.out.println("| t s | RSS A MiB | RSS B MiB |");
            System.out.println("|---|---|---|");
            List<long[]> samples = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int t = every; t <= seconds; t += every) {
                long wake = t0 + t * 1_000_000_000L;
                Thread.sleep(Math.max(0, (wake - System.nanoTime()) / 1_000_000)); // the sampling period
                long[] s = {t, gwA.rssKib()[0], gwB.rssKib()[0]};
                samples.add(s);
                System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f |%n", s[0], s[1] / 1024.0, s[2] / 1024.0);
            }
            loader.join();
            double[] r = load.get();
            long[] first = samples.get(Math.min(1, samples.size() - 1)); // skip the warm-up sample
            long[] last = samples.get(samples.size() - 1);
            long maxA = samples.stream().mapToLong(s -> s[1]).max().orElse(0);
            long maxB = samples.stream().mapToLong(s -> s[2]).max().orElse(0);
            System.out.printf(Locale.ROOT, "requests: %.0f/s 2xx, %.0f other/errors%n", r[0], r[1]);
            System.out.printf(Locale.ROOT, "RSS A: %.1f -> %.1f MiB (t=%d..%d s), max %.1f; "
                            + "RSS B: %.1f -> %.1f MiB, max %.1f; VmHWM A %.1f B %.1f MiB%n",
                    first[1] / 1024.0, last[1] / 1024.0, first[0], last[0], maxA / 1024.0,
                    first[2] / 1024.0, last[2] / 1024.0, maxB / 1024.0,
                    gwA.rssKib()[1] / 1024.0, gwB.rssKib()[1] / 1024.0);
            HttpClient http = HttpClient.newHttpClient();
            System.out.println("peer link on B: " + http.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + httpB + "/%23runtime/peers/gw-a")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        }
    }
}

package dev.ferry.bench;

import dev.ferry.sim.NativeTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 5, figures 5 and 6: requests/s of a runtime-local resource over loopback keep-alive
 * connections, and the steady RSS of a {@code java -jar ferry.jar} child process (one simulated
 * line, the facade) idle and under that load, for named JVM flag sets.
 *
 * <pre>
 * java -cp ... dev.ferry.bench.HttpBenchFacade [--flags default,small] [--connections 32]
 *      [--seconds 10] [--idle-seconds 30] [--path /%23runtime/node] [--jar edge-runtime/target/ferry.jar]
 *      [--loader wrk|java]
 * </pre>
 *
 * The load generator is {@code wrk} when installed (2 threads), else {@link HttpBenchLoad}; it
 * shares the machine's cores with the server. RSS is read from /proc/PID/status of the JVM only
 * (the host-sim firmware it starts is a separate, small process): after the idle wait, then
 * every second during the load (the largest reading is printed), and VmHWM at the end.
 */
public final class HttpBenchFacade {
    private HttpBenchFacade() {
    }

    /** Named JVM flag sets; "small" is what a 512 MiB board would use. */
    static final Map<String, List<String>> FLAGS = new LinkedHashMap<>();

    static {
        List<String> small = List.of("-XX:+UseSerialGC", "-Xmx24m", "-Xss256k", "-XX:MaxMetaspaceSize=40m",
                "-XX:ReservedCodeCacheSize=16m", "-XX:TieredStopAtLevel=1");
        FLAGS.put("default", List.of());
        FLAGS.put("small", small);
        FLAGS.put("small-c2", small.subList(0, small.size() - 1));
        List<String> nettySmall = new ArrayList<>(small);
        nettySmall.addAll(List.of("-XX:MaxDirectMemorySize=8m", "-Dio.netty.allocator.numDirectArenas=1",
                "-Dio.netty.allocator.numHeapArenas=1", "-Dio.netty.allocator.maxOrder=7"));
        FLAGS.put("small-netty", nettySmall);
        FLAGS.put("tiny", List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx16m", "-Xss256k", "-XX:MaxMetaspaceSize=32m",
                "-XX:ReservedCodeCacheSize=8m", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1"));
    }

    public static void main(String[] argv) throws Exception {
        BenchSamples.quietLogs();
        Map<String, String> a = BenchSamples.args(argv);
        int connections = BenchSamples.intArg(a, "connections", 32);
        int seconds = BenchSamples.intArg(a, "seconds", 10);
        int idle = BenchSamples.intArg(a, "idle-seconds", 30);
        String path = a.getOrDefault("path", "/%23runtime/node");
        Path jar = Path.of(a.getOrDefault("jar", NativeTools.repoRoot().resolve("edge-runtime/target/ferry.jar")
                .toString()));
        boolean wrk = a.getOrDefault("loader", Files.isExecutable(Path.of("/usr/bin/wrk")) ? "wrk" : "java").equals("wrk");
        System.out.printf(Locale.ROOT, "ferry.jar facade: GET %s, %d keep-alive connections for %d s (%s), RSS idle "
                + "after %d s; %d CPUs shared by client and server%n", path, connections, seconds,
                wrk ? "wrk -t2" : "Java load generator", idle, Runtime.getRuntime().availableProcessors());
        System.out.println("| JVM flags | req/s | non-2xx / errors | RSS idle MiB | RSS under load MiB (max) "
                + "| VmHWM MiB | flags |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (String name : a.getOrDefault("flags", "default,small").split(",")) {
            List<String> flags = FLAGS.get(name);
            if (flags == null) {
                throw new IllegalArgumentException("flag sets: " + FLAGS.keySet());
            }
            boolean arena = !name.equals("default");
            try (HttpBenchChild ferry = HttpBenchChild.start(jar, flags, arena ? "2" : null)) {
                Thread.sleep(idle * 1000L); // the idle period being measured
                long idleRss = ferry.rssKib()[0];
                long[] maxRss = {0};
                Thread sampler = new Thread(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        maxRss[0] = Math.max(maxRss[0], ferry.rssKib()[0]);
                        try {
                            Thread.sleep(1000);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "rss-sampler");
                sampler.start();
                String url = "http://127.0.0.1:" + ferry.port + path;
                double[] result = wrk ? runWrk(url, connections, seconds)
                        : HttpBenchLoad.run("127.0.0.1", ferry.port, path, connections, seconds);
                sampler.interrupt();
                sampler.join();
                long[] end = ferry.rssKib();
                System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.1f | %.1f | %.1f | %s%s |%n", name, result[0],
                        result[1], idleRss / 1024.0, Math.max(maxRss[0], end[0]) / 1024.0, end[1] / 1024.0,
                        flags.isEmpty() ? "(none)" : String.join(" ", flags), arena ? " MALLOC_ARENA_MAX=2" : "");
            }
        }
    }

    /** Runs wrk; returns {requests per second, non-2xx responses + socket errors}. */
    static double[] runWrk(String url, int connections, int seconds) throws Exception {
        return runWrk(url, connections, seconds, List.of());
    }

    /** Like {@link #runWrk(String, int, int)} with extra wrk arguments (e.g. {@code -H "Authorization: ..."}). */
    static double[] runWrk(String url, int connections, int seconds, List<String> extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s"));
        cmd.addAll(extra);
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
                throw new IllegalStateException("wrk did not finish");
            }
            Matcher rps = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
            if (!rps.find()) {
                throw new IllegalStateException("wrk output without Requests/sec:\n" + out);
            }
            double errors = 0;
            Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses:\\s+([0-9]+)").matcher(out);
            if (non2xx.find()) {
                errors += Double.parseDouble(non2xx.group(1));
            }
            Matcher sock = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)")
                    .matcher(out);
            if (sock.find()) {
                for (int g = 1; g <= 4; g++) {
                    errors += Double.parseDouble(sock.group(g));
                }
            }
            return new double[] {Double.parseDouble(rps.group(1)), errors};
        } finally {
            p.destroyForcibly();
        }
    }
}

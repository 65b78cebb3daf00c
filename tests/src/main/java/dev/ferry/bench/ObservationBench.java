package dev.ferry.bench;

import dev.ferry.sim.PacedMcu;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shared observations at scale (issue 16), side by side in one run: {@code java -jar ferry.jar}
 * as a child (the installed service's JVM flags) on a 115200-baud line through the line simulator
 * to host-sim, and N SSE subscribers of {@code /dev0/sensors/temp} on one selector thread here.
 *
 * <pre>
 *   java -cp $CP dev.ferry.bench.ObservationBench [--subscribers 1000] [--period 200] [--updates 50]
 *        [--get-seconds 10] [--connections 16] [--jar edge-runtime/target/ferry.jar] [--extra "-XX:..."]
 * </pre>
 *
 * Reports: every subscriber got every update (gaps counted), MCU streams (the firmware's own
 * {@code #streams} list), line bytes per second with 1 and with N subscribers, the delay from the
 * MCU's reading reaching Ferry to the N-th subscriber's socket (Ferry's receive time is read from
 * {@code /#runtime/observations}'s {@code last_value_age_ms}, asked right after each update), the
 * spread first-to-last subscriber, RSS with 1 and N subscribers, then GET requests/s on the same
 * resource cached ({@code max-age=60}), coalesced (no header) and uncached ({@code no-cache}).
 */
public final class ObservationBench {
    private static final String TEMP = "/dev0/sensors/temp";
    private static final Pattern N = Pattern.compile("\"n\":(\\d+)");

    private ObservationBench() { }

    /** Arrival times per reading, across subscribers; gaps per subscriber. Selector thread writes. */
    static final class Collector implements SseSwarm.Listener {
        private final Map<Long, long[]> byN = new HashMap<>();   // n -> {count, first, last}
        private final Map<Integer, Long> lastN = new HashMap<>();
        long gaps;
        long stale;
        long closed;

        @Override
        public synchronized void onEvent(SseSwarm.Event e) {
            if (e.type().equals("stale")) {
                stale++;
            }
            Matcher m = N.matcher(e.data());
            if (!m.find()) {
                return;
            }
            long n = Long.parseLong(m.group(1));
            Long prev = lastN.put(e.subscriber(), n);
            if (prev != null && n != prev + 1) {
                gaps++;
            }
            long[] s = byN.computeIfAbsent(n, k -> new long[] {0, Long.MAX_VALUE, 0});
            s[0]++;
            s[1] = Math.min(s[1], e.nanos());
            s[2] = Math.max(s[2], e.nanos());
            notifyAll();
        }

        @Override
        public synchronized void onClosed(int subscriber, String why) {
            closed++;
            System.err.println("subscriber " + subscriber + " closed: " + why);
        }

        /** Waits until {@code count} subscribers got reading {@code n}; returns {count, first, last}. */
        synchronized long[] await(long n, int count, long timeoutMs) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (true) {
                long[] s = byN.get(n);
                long left = deadline - System.nanoTime();
                if ((s != null && s[0] >= count) || left <= 0) {
                    return s == null ? new long[] {0, 0, 0} : s.clone();
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        /** The newest reading any subscriber got (-1 before the first). */
        synchronized long newest() {
            return byN.keySet().stream().mapToLong(Long::longValue).max().orElse(-1);
        }
    }

    public static void main(String[] argv) throws Exception {
        BenchSamples.quietLogs();
        Map<String, String> a = BenchSamples.args(argv);
        int subscribers = BenchSamples.intArg(a, "subscribers", 1000);
        int period = BenchSamples.intArg(a, "period", 200);
        int updates = BenchSamples.intArg(a, "updates", 50);
        int getSeconds = BenchSamples.intArg(a, "get-seconds", 10);
        int connections = BenchSamples.intArg(a, "connections", 16);
        Path jar = Path.of(a.getOrDefault("jar", "edge-runtime/target/ferry.jar")).toAbsolutePath();
        List<String> flags = FerryChild.launcherFlags(a);
        Path work = Files.createTempDirectory("ferry-obsbench");
        int port = FerryChild.freePort();
        String toml = String.join("\n", "[http]", "listen = \"127.0.0.1:" + port + "\"", "max_connections = 4096", "max_connections_per_source = 4096",
                "[limits]", "max_streams = 8192",
                "[observations]", "max_subscribers_per_resource = 8192", "max_subscribers = 8192",
                "[logging]", "level = \"info\"", "format = \"plain\"",
                "[[lines]]", "name = \"bus\"", "port = \"%s\"", "baud = 115200",
                "[[devices]]", "name = \"dev0\"", "line = \"bus\"", "address = 1", "mount = \"/dev0\"", "");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String base = "http://127.0.0.1:" + port;
        try (PacedMcu mcu = PacedMcu.start(work, 115200, 1);
             FerryChild ferry = FerryChild.start(jar, flags, "2",
                     String.format(toml, mcu.hostPath()))) {
            ferry.awaitPort(port);
            HttpBenchLatency.awaitAttached(http, base);
            Collector c = new Collector();
            String body = Integer.toString(period);
            try (SseSwarm swarm = new SseSwarm(new InetSocketAddress("127.0.0.1", port), TEMP, body, List.of(), 1, c)) {
                awaitNewest(c, 5, period);
                long msgs0 = messagesIn(http, base);
                long[] one = lineWindow(mcu, c, 1, updates / 2, period);
                double msgsPerUpdate1 = (messagesIn(http, base) - msgs0) / (double) (updates / 2);
                long rss1 = ferry.rssKib()[0];
                for (int i = 1; i < subscribers; i++) {
                    swarm.add();
                }
                long joined = System.nanoTime();
                while (swarm.streaming() < subscribers && System.nanoTime() - joined < TimeUnit.SECONDS.toNanos(60)) {
                    Thread.sleep(20);                               // polling a counter; no event to wait on
                }
                awaitNewest(c, 3, period);
                long start = c.newest() + 1;
                c.await(start, subscribers, 10_000);
                long gapsBefore = c.gaps;
                BenchSamples toLast = new BenchSamples(updates);
                BenchSamples spread = new BenchSamples(updates);
                long bytes0 = mcu.sim().counters().bytesSent.get();
                long msgsN0 = messagesIn(http, base);
                long t0 = System.nanoTime();
                long complete = 0;
                long offset = Long.MIN_VALUE;
                for (long n = start; n < start + updates; n++) {
                    long[] s = c.await(n, subscribers, 5L * period + 5000);
                    if (s[0] >= subscribers) {
                        complete++;
                    }
                    spread.add(s[2] - s[1]);
                    long q0 = System.nanoTime();
                    String view;
                    try {
                        view = http.send(HttpRequest.newBuilder(URI.create(base + "/%23runtime/observations"))
                                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
                    } catch (java.net.http.HttpTimeoutException slow) {
                        continue;                                   // no sample for this reading
                    }
                    long q1 = System.nanoTime();
                    long age = number(view, "last_value_age_ms");
                    long u = number(view, "updates");
                    if (offset == Long.MIN_VALUE) {
                        offset = u - n;
                    }
                    if (u - n == offset && age >= 0) {              // the view's last value is reading n
                        long received = (q0 + q1) / 2 - TimeUnit.MILLISECONDS.toNanos(age);
                        toLast.add(Math.max(0, s[2] - received));
                    }
                }
                long seconds = System.nanoTime() - t0;
                long bytesN = mcu.sim().counters().bytesSent.get() - bytes0;
                double msgsPerUpdateN = (messagesIn(http, base) - msgsN0) / (double) updates;
                long rssN = ferry.rssKib()[0];
                String streams = http.send(HttpRequest.newBuilder(URI.create(base + "/dev0/sensors/temp%23streams"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                int mcuStreams = streams.split("#streams/", -1).length - 1;
                System.out.printf(Locale.ROOT, "%n| subscribers | updates complete | gaps | stale | closed | MCU streams "
                        + "| MCU messages per update, 1 / %d subs | line B/s (polls included), 1 / %d subs "
                        + "| MCU→%dth socket p50 / p99 / max | spread p50 / p99 | RSS 1 sub | RSS %d subs | growth |%n",
                        subscribers, subscribers, subscribers, subscribers);
                System.out.printf(Locale.ROOT, "| %d | %d / %d | %d | %d | %d | %d | %.2f / %.2f | %.0f / %.0f "
                                + "| %.2f / %.2f / %.2f ms (%d samples) | %.2f / %.2f ms | %.1f MiB | %.1f MiB | %.1f MiB |%n",
                        subscribers, complete, updates, c.gaps - gapsBefore, c.stale, c.closed, mcuStreams,
                        msgsPerUpdate1, msgsPerUpdateN,
                        one[0] * 1e9 / one[1], bytesN * 1e9 / seconds, toLast.medianMs(), toLast.percentileMs(99),
                        toLast.percentileMs(100), toLast.size(), spread.medianMs(), spread.percentileMs(99),
                        rss1 / 1024.0, rssN / 1024.0, (rssN - rss1) / 1024.0);
            }
            // max-stale too: on a loaded 2-core machine the paced line rig can lose the MCU under this load,
            // and a cached GET without max-stale is then (rightly) a 503; the figure is the cache's rate
            String[][] modes = {{TEMP, "cached (Cache-Control: max-age=60, max-stale)",
                    "Cache-Control: max-age=60, max-stale\r\n"},
                {TEMP, "coalesced (no header)", ""}, {TEMP, "uncached (Cache-Control: no-cache)",
                    "Cache-Control: no-cache\r\n"}, {"/%23runtime/node", "reference: a runtime resource", ""}};
            System.out.printf("%n| GET | requests/s | errors |%n");
            for (String[] m : modes) {
                HttpBenchLoad.ERRORS.clear();
                double[] r = HttpBenchLoad.run("127.0.0.1", port, m[0], m[2], connections, getSeconds);
                System.out.printf(Locale.ROOT, "| %s %s, %d connections | %.0f | %.0f %s |%n", m[0], m[1], connections,
                        r[0], r[1], HttpBenchLoad.ERRORS.isEmpty() ? "" : HttpBenchLoad.ERRORS.toString());
            }
            System.out.println("\nferry's warnings and device state changes:");
            ferry.log().lines().filter(l -> l.contains("WARN") || l.contains("ERROR") || l.contains(" -> "))
                    .limit(40).forEach(System.out::println);
        }
    }

    /** Line bytes over a window of {@code count} readings at {@code subs} subscribers: {bytes, nanos}. */
    private static long[] lineWindow(PacedMcu mcu, Collector c, int subs, int count, int period)
            throws InterruptedException {
        long first = c.newest() + 1;
        c.await(first, subs, 10_000);
        long b0 = mcu.sim().counters().bytesSent.get();
        long t0 = System.nanoTime();
        c.await(first + count, subs, (long) count * period * 3 + 10_000);
        return new long[] {mcu.sim().counters().bytesSent.get() - b0, System.nanoTime() - t0};
    }

    private static void awaitNewest(Collector c, int readings, int period) throws InterruptedException {
        long target = Math.max(0, c.newest()) + readings;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos((long) readings * period * 5 + 20_000);
        while (c.newest() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no readings (newest " + c.newest() + ")");
            }
            c.await(c.newest() + 1, 1, period * 2L);
        }
    }

    /** Messages Ferry took from the MCU so far ({@code /metrics}). */
    private static long messagesIn(HttpClient http, String base) throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^ferry_device_messages_in_total\\{device=\"dev0\"\\} (\\d+)").matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static long number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(-?\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}

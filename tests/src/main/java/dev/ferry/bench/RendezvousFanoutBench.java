package dev.ferry.bench;

import dev.ferry.sim.NativeTools;
import dev.ferry.edge.config.HostPort;
import dev.ferry.edge.rendezvous.Registration;
import dev.ferry.edge.rendezvous.RendezvousClient;
import dev.ferry.edge.rendezvous.RendezvousMessage;
import dev.ferry.edge.rendezvous.RendezvousWire;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 8: rendezvous announcement fan-out of the real service. Each run starts a fresh
 * {@code java <flags> -jar ferry.jar} child ({@link FerryChild}) with rendezvous enabled on a free
 * loopback port (and the HTTP facade, as installed; no lines). This process hosts 100 subscribers
 * ({@link RendezvousClient}s that entered namespace "bench") and one registrant socket that sends
 * 1,000 REGISTERs in one write. Measured, of the child only:
 * <ul>
 * <li>time from the first REGISTER written until every subscriber has every announcement;</li>
 * <li>baseline VmRSS: service up, subscribers connected and synchronised, after an idle wait;</li>
 * <li>peak VmRSS sampled every few ms from just before the first REGISTER until {@code --after-ms}
 * after the last delivery, and VmHWM at the end (both minus the baseline).</li>
 * </ul>
 * Goal: under 1 s and under 32 MiB extra. Flag sets: {@code service} is the Debian launcher's
 * JVM_OPTS (read from edge-runtime/src/deb/bin/ferry) with MALLOC_ARENA_MAX=2; the other names are
 * {@link HttpBenchFacade#FLAGS} ({@code default} = no flags). {@code --extra} appends flags, e.g.
 * {@code -XX:NativeMemoryTracking=summary}. {@code --jar a.jar,b.jar} compares builds side by side,
 * runs interleaved. {@code --histogram} runs {@code jcmd GC.class_histogram
 * -all} once the fan-out is complete (unreachable objects included) and prints its top lines;
 * {@code --nmt} (with {@code --extra -XX:NativeMemoryTracking=summary}) prints the native memory
 * committed since the baseline, by category. Both slow the run they profile.
 *
 * <pre>
 * java -cp tests/target/classes:$(cat tests/target/cp.txt) dev.ferry.bench.RendezvousFanoutBench \
 *      [--flags service,default] [--runs 5] [--subscribers 100] [--registrations 1000] \
 *      [--idle-seconds 5] [--after-ms 1000] [--jar edge-runtime/target/ferry.jar[,other.jar]] [--histogram] [--nmt] [--extra "..."]
 * </pre>
 */
public final class RendezvousFanoutBench {
    private static final String NS = "bench";

    private RendezvousFanoutBench() { }

    /** A started child and where it serves rendezvous. */
    record Service(FerryChild child, HostPort at) implements AutoCloseable {
        @Override
        public void close() {
            child.close();
        }
    }

    /** One run's figures, memory in KiB. */
    record Result(long ms, boolean complete, int reconnects, long baseKib, long peakKib, long hwmKib, long afterKib) { }

    public static void main(String[] argv) throws Exception {
        BenchSamples.quietLogs();
        Map<String, String> a = BenchSamples.args(argv);
        int runs = BenchSamples.intArg(a, "runs", 5);
        int subscribers = BenchSamples.intArg(a, "subscribers", 100);
        int registrations = BenchSamples.intArg(a, "registrations", 1000);
        int idle = BenchSamples.intArg(a, "idle-seconds", 5);
        int afterMs = BenchSamples.intArg(a, "after-ms", 1000);
        List<Path> jars = Arrays.stream(a.getOrDefault("jar", NativeTools.repoRoot()
                .resolve("edge-runtime/target/ferry.jar").toString()).split(",")).map(Path::of).toList();
        List<String> extra = a.containsKey("extra") ? List.of(a.get("extra").trim().split("\\s+")) : List.of();
        System.out.printf(Locale.ROOT, "rendezvous fan-out of ferry.jar in a child JVM: %d registrations x %d "
                + "subscribers = %d deliveries, %d fresh children per flag set and jar, %d CPUs shared with the "
                + "clients%n", registrations, subscribers, (long) registrations * subscribers, runs,
                Runtime.getRuntime().availableProcessors());
        for (String name : a.getOrDefault("flags", "service,default").split(",")) {
            List<String> flags = new ArrayList<>(flags(name));
            flags.addAll(extra);
            String arena = name.equals("default") ? null : "2";
            System.out.printf("%nflags %s: %s%s%n", name, flags.isEmpty() ? "(none)" : String.join(" ", flags),
                    arena == null ? "" : " MALLOC_ARENA_MAX=" + arena);
            System.out.println("| run | jar | time ms | complete | reconnects | RSS baseline MiB | peak MiB "
                    + "| peak - baseline MiB | VmHWM - baseline MiB | RSS after MiB |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|");
            List<List<Result>> results = new ArrayList<>();
            jars.forEach(j -> results.add(new ArrayList<>()));
            for (int run = 1; run <= runs; run++) {
                for (int j = 0; j < jars.size(); j++) {       // interleaved: load changes hit every jar alike
                    try (Service service = startService(jars.get(j), flags, arena, registrations)) {
                        Result r = runOnce(service, subscribers, registrations, idle, afterMs,
                                a.containsKey("histogram"), a.containsKey("nmt"));
                        results.get(j).add(r);
                        System.out.printf(Locale.ROOT, "| %d | %s | %d | %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
                                run, jars.get(j).getFileName(), r.ms, r.complete ? "yes" : "NO", r.reconnects,
                                mib(r.baseKib), mib(r.peakKib), mib(r.peakKib - r.baseKib), mib(r.hwmKib - r.baseKib),
                                mib(r.afterKib));
                        String log = service.child().log();
                        if (!log.isBlank()) {          // warnings of the service (e.g. a cut-off), shortened
                            log.lines().limit(5).forEach(l -> System.out.println("  child log: " + l));
                        }
                    }
                }
            }
            for (int j = 0; j < jars.size(); j++) {
                List<Result> rs = results.get(j);
                System.out.printf(Locale.ROOT, "%s, %s: time median %s ms; peak - baseline median %s MiB; VmHWM - "
                        + "baseline median %s MiB; baseline median %s MiB%n", name, jars.get(j).getFileName(),
                        summary(rs, r -> r.ms, 1), summary(rs, r -> r.peakKib - r.baseKib, 1024),
                        summary(rs, r -> r.hwmKib - r.baseKib, 1024), summary(rs, r -> r.baseKib, 1024));
            }
        }
    }

    static List<String> flags(String name) throws IOException {
        if (name.equals("service")) {
            return FerryChild.launcherFlags();
        }
        List<String> f = HttpBenchFacade.FLAGS.get(name);
        if (f == null) {
            throw new IllegalArgumentException("flag sets: service, " + HttpBenchFacade.FLAGS.keySet());
        }
        return f;
    }

    /** The child, serving rendezvous with bounds that admit the burst. */
    static Service startService(Path jar, List<String> flags, String arena, int registrations) throws Exception {
        int http = FerryChild.freePort();
        int port = FerryChild.freePort();
        String toml = String.join("\n", "[http]", "listen = \"127.0.0.1:" + http + "\"",
                "[logging]", "level = \"warn\"",
                "[rendezvous]", "enabled = true", "listen = \"127.0.0.1:" + port + "\"",
                "registrations_per_namespace = " + Math.max(4096, registrations + 16),
                "subscriber_queue = " + Math.max(1024, 2 * registrations), "");
        FerryChild c = FerryChild.start(jar, flags, arena, toml);
        try {
            c.awaitPort(port);
        } catch (Exception e) {
            c.close();
            throw e;
        }
        return new Service(c, new HostPort("127.0.0.1", port));
    }

    static Result runOnce(Service service, int subscribers, int registrations, int idleSeconds, int afterMs,
            boolean histogram, boolean nmt) throws Exception {
        FerryChild child = service.child();
        HostPort at = service.at();
        CountDownLatch ready = new CountDownLatch(subscribers);
        CountDownLatch complete = new CountDownLatch(subscribers);
        AtomicInteger reconnects = new AtomicInteger();
        List<RendezvousClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < subscribers; i++) {
                clients.add(subscriber(at, registrations, ready, complete, reconnects));
            }
            RendezvousClient sync = new RendezvousClient(at, RendezvousClient.Listener.NONE, 50, 1000).start();
            clients.add(sync);
            sync.register(Registration.of(NS, "sync", "x"));
            if (!ready.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("subscribers not ready:\n" + child.log());
            }
            byte[] batch = registerBatch(registrations);
            try (Socket registrant = new Socket(at.host(), at.port())) {
                Thread.sleep(idleSeconds * 1000L);                  // the idle period before the baseline
                long base = child.rssKib()[0];
                if (nmt) {
                    jcmd(child.pid(), "VM.native_memory", "baseline");
                }
                RssSampler sampler = new RssSampler(child);
                sampler.start();
                long t0 = System.nanoTime();
                registrant.getOutputStream().write(batch);
                registrant.getOutputStream().flush();
                boolean done = complete.await(60, TimeUnit.SECONDS);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                if (histogram) {
                    printHistogram(child.pid());
                }
                Thread.sleep(afterMs);                               // keep sampling after the burst
                sampler.stop();
                if (nmt) {
                    System.out.println("native memory, change since the baseline:");
                    jcmd(child.pid(), "VM.native_memory", "summary.diff", "scale=KB").lines()
                            .filter(l -> l.contains("committed=") && l.startsWith("-") || l.startsWith("Total"))
                            .forEach(System.out::println);
                }
                long[] end = child.rssKib();
                return new Result(ms, done, reconnects.get() - subscribers, base,
                        Math.max(sampler.max(), end[0]), end[1], end[0]);
            }
        } finally {
            clients.forEach(RendezvousClient::close);
        }
    }

    private static RendezvousClient subscriber(HostPort at, int registrations, CountDownLatch ready,
            CountDownLatch complete, AtomicInteger connects) {
        AtomicInteger got = new AtomicInteger();
        RendezvousClient c = new RendezvousClient(at, new RendezvousClient.Listener() {
            @Override
            public void registered(Registration r) {
                if (r.id().equals("sync")) {
                    ready.countDown();
                } else if (got.incrementAndGet() == registrations) {
                    complete.countDown();
                }
            }

            @Override
            public void connected() {
                connects.incrementAndGet();
            }
        }, 50, 1000);
        c.enter(NS);
        return c.start();
    }

    /** {@code n} REGISTER messages, one registration each, framed back to back. */
    static byte[] registerBatch(int n) throws IOException {
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            batch.write(RendezvousWire.frame(RendezvousMessage.register(List.of(
                    Registration.of(NS, "peer-" + i, "http://10.0.0." + (i % 250) + ":8080/dev" + i)))));
        }
        return batch.toByteArray();
    }

    private static void printHistogram(long pid) throws Exception {
        String[] lines = jcmd(pid, "GC.class_histogram", "-all").split("\n");
        System.out.println("class histogram (all objects, reachable or not), top 15 and total:");
        Arrays.stream(lines).limit(18).forEach(System.out::println);
        System.out.println(lines[lines.length - 1]);
    }

    /** Runs {@code jcmd pid args...} and returns what it printed. */
    private static String jcmd(long pid, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private interface Figure {
        long of(Result r);
    }

    private static String summary(List<Result> rs, Figure f, double unit) {
        long[] v = rs.stream().mapToLong(f::of).sorted().toArray();
        if (v.length == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, unit == 1 ? "%.0f (%.0f-%.0f)" : "%.1f (%.1f-%.1f)",
                v[(v.length - 1) / 2] / unit, v[0] / unit, v[v.length - 1] / unit);
    }

    private static double mib(long kib) {
        return kib / 1024.0;
    }

    /** Samples the child's VmRSS every 2 ms on its own thread and keeps the largest reading. */
    private static final class RssSampler {
        private final FerryChild child;
        private final Thread thread;
        private volatile boolean running = true;
        private volatile long max;

        RssSampler(FerryChild child) {
            this.child = child;
            this.thread = new Thread(this::loop, "rss-sampler");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void loop() {
            while (running) {
                max = Math.max(max, child.rssKib()[0]);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        long max() {
            return max;
        }
    }
}

package dev.ferry.bench;

import dev.ferry.northbound.FerryToml;
import dev.ferry.northbound.HostApp;
import dev.ferry.northbound.Mosquitto;
import dev.ferry.northbound.NorthboundStatus;
import dev.ferry.sim.HostSim;
import dev.ferry.sim.NativeTools;
import dev.ferry.sim.PtyPair;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 17's fleet on one machine: N Ferry nodes ({@code java <launcher flags> -jar ferry.jar},
 * {@link FerryChild}), each mastering one line to a host-sim process serving S MCUs
 * ({@code --stations S}, each reading its temperature once a second), every node a Sparkplug edge
 * node of group {@code plant} waiting for primary host {@code scada}, all against one Mosquitto,
 * and one host application ({@link HostApp}, also the strict-host check) that sees every message.
 * Measured:
 * <ul>
 * <li>attach: each node's line is one end of a socat pty pair, Ferry already on it; the MCUs
 *     "power on" when host-sim starts on the other end. Time from that start to each device's
 *     DBIRTH at the host application (nodes one after the other), and Ferry's own
 *     {@code attach_to_birth_ms} (ATTACHED to DBIRTH queued) from {@code /#runtime/northbound};</li>
 * <li>steady state: DDATA per second per node and in total over {@code --steady-s}, after a
 *     warm-up; VmRSS and VmHWM of every node;</li>
 * <li>an outage: the broker SIGKILLed for {@code --outage-s}, then started again (a new host
 *     application comes up with it); the queue depth each node reports, and the replay: historical
 *     DDATA per second, from the first NBIRTH after the restart to the last historical DDATA.</li>
 * </ul>
 *
 * <pre>
 * mvn -B -q -pl tests -am -DskipTests package dependency:build-classpath -Dmdep.outputFile=$PWD/tests/target/cp.txt
 * java -cp tests/target/classes:$(cat tests/target/cp.txt) dev.ferry.bench.NorthboundFleetBench \
 *      [--nodes 8] [--stations 8] [--steady-s 30] [--outage-s 30] [--jar edge-runtime/target/ferry.jar]
 *      [--extra "-XX:..."]
 * </pre>
 */
public final class NorthboundFleetBench {
    private NorthboundFleetBench() { }

    /** One edge node: its line (pty pair), its Ferry child, its MCUs once powered on. */
    private record Node(String id, int http, PtyPair line, FerryChild ferry, HostSim[] mcus) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            if (mcus[0] != null) {
                mcus[0].close();
            }
            ferry.close();
            line.close();
        }
    }

    /** What the host application saw, per edge node. */
    private static final class Tally {
        final Map<String, AtomicLong> live = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> historical = new ConcurrentHashMap<>();
        final Map<String, Long> nbirthAt = new ConcurrentHashMap<>();
        final Map<String, Long> lastHistoricalAt = new ConcurrentHashMap<>();
        final Map<String, CountDownLatch> births = new ConcurrentHashMap<>();
        final Map<String, Long> birthAt = new ConcurrentHashMap<>();
        final AtomicLong nbirths = new AtomicLong();
        final AtomicLong dbirths = new AtomicLong();

        void take(HostApp.Received r) {
            String node = r.node();
            switch (r.type()) {
                case "NBIRTH" -> {
                    nbirths.incrementAndGet();
                    nbirthAt.putIfAbsent(node, r.atNanos());
                    CountDownLatch l = births.get(node + "/");
                    if (l != null) {
                        l.countDown();
                    }
                }
                case "DBIRTH" -> {
                    dbirths.incrementAndGet();
                    birthAt.putIfAbsent(node + "/" + r.device(), r.atNanos());
                    CountDownLatch l = births.get(node);
                    if (l != null) {
                        l.countDown();
                    }
                }
                case "DDATA" -> {
                    boolean hist = r.payload() != null && r.payload().getMetricsCount() > 0
                            && r.payload().getMetrics(0).getIsHistorical();
                    (hist ? historical : live).computeIfAbsent(node, n -> new AtomicLong()).incrementAndGet();
                    if (hist) {
                        lastHistoricalAt.put(node, r.atNanos());
                    }
                }
                default -> { }
            }
        }

        long sum(Map<String, AtomicLong> m) {
            return m.values().stream().mapToLong(AtomicLong::get).sum();
        }

        long get(Map<String, AtomicLong> m, String node) {
            AtomicLong a = m.get(node);
            return a == null ? 0 : a.get();
        }
    }

    public static void main(String[] argv) throws Exception {
        BenchSamples.quietLogs();
        Map<String, String> a = BenchSamples.args(argv);
        int nodes = BenchSamples.intArg(a, "nodes", 8);
        int stations = BenchSamples.intArg(a, "stations", 8);
        int steadyS = BenchSamples.intArg(a, "steady-s", 30);
        int outageS = BenchSamples.intArg(a, "outage-s", 30);
        Path jar = Path.of(a.getOrDefault("jar", NativeTools.repoRoot().resolve("edge-runtime/target/ferry.jar")
                .toString()));
        List<String> flags = FerryChild.launcherFlags(a);
        Path work = Files.createTempDirectory("ferry-fleet");
        System.out.printf(Locale.ROOT, "northbound fleet: %d nodes x %d MCUs (1 reading/s each), one Mosquitto, "
                + "one host application; %d CPUs; JVM flags %s, MALLOC_ARENA_MAX=2%n", nodes, stations,
                Runtime.getRuntime().availableProcessors(), String.join(" ", flags));
        System.out.println("load at start: " + loadavg());
        List<Node> fleet = new ArrayList<>();
        Tally tally = new Tally();
        // a replay burst of every node at once must not overflow the broker's per-subscriber queue
        // (Mosquitto drops QoS 1 messages past max_queued_messages, 1000 by default): unlimited here
        Mosquitto broker = Mosquitto.create(work, "max_queued_messages 0").start();
        HostApp host = new HostApp(HostApp.Access.plain(broker.port()), "scada", false);
        host.listener = tally::take;
        HostApp host2 = null;
        try {
            for (int i = 1; i <= nodes; i++) {
                String id = "edge" + i;
                PtyPair line = new PtyPair(work.resolve(id + "-ferry"), work.resolve(id + "-mcus"));
                int http = FerryChild.freePort();
                String toml = FerryToml.stations(id, http, work.resolve(id + "-ferry").toString(), stations,
                        broker.port(), work.resolve(id + "-queue")).nb("primary_host", FerryToml.q("scada"))
                        .line("reprobe_max_ms = 100").toString();
                CountDownLatch nbirth = new CountDownLatch(1);
                tally.births.put(id + "/", nbirth);
                FerryChild ferry = FerryChild.start(jar, flags, "2", toml);
                fleet.add(new Node(id, http, line, ferry, new HostSim[1]));
                ferry.awaitPort(http);
                if (!nbirth.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(id + ": no NBIRTH within 60 s:\n" + ferry.log());
                }
            }
            System.out.printf(Locale.ROOT, "%d nodes up, %d NBIRTHs seen%n", nodes, tally.nbirths.get());

            List<Double> attachMs = new ArrayList<>();
            List<Long> ferryAttachMs = new ArrayList<>();
            for (Node n : fleet) {
                CountDownLatch births = new CountDownLatch(stations);
                tally.births.put(n.id(), births);
                long t0 = System.nanoTime();
                n.mcus()[0] = HostSim.onTty(stations, n.line().inner());
                if (!births.await(120, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(n.id() + ": " + births.getCount() + " DBIRTHs missing:\n"
                            + n.ferry().log());
                }
                for (int d = 1; d <= stations; d++) {
                    attachMs.add((tally.birthAt.get(n.id() + "/dev" + d) - t0) / 1e6);
                }
                ferryAttachMs.add(NorthboundStatus.number(NorthboundStatus.get(n.http()), "attach_to_birth_ms"));
            }
            attachMs.sort(Comparator.naturalOrder());
            System.out.printf(Locale.ROOT, "MCU power-on to DBIRTH at the host (%d devices): median %.0f ms, "
                    + "p90 %.0f ms, max %.0f ms; Ferry's attach_to_birth_ms per node (last device): %s%n",
                    attachMs.size(), pct(attachMs, 50), pct(attachMs, 90), pct(attachMs, 100), ferryAttachMs);

            Thread.sleep(5000);       // warm-up: every stream observed, JIT settled
            Map<String, Long> start = snapshot(fleet, tally);
            long t0 = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(steadyS));
            Map<String, Long> end = snapshot(fleet, tally);
            double s = (System.nanoTime() - t0) / 1e9;
            long total = 0;
            System.out.println("steady state over " + steadyS + " s:");
            System.out.println("| node | DDATA/s | VmRSS MiB | VmHWM MiB |");
            System.out.println("|---|---|---|---|");
            List<Double> rss = new ArrayList<>();
            for (Node n : fleet) {
                long d = end.get(n.id()) - start.get(n.id());
                total += d;
                long[] kib = n.ferry().rssKib();
                rss.add(kib[0] / 1024.0);
                System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f |%n", n.id(), d / s, kib[0] / 1024.0,
                        kib[1] / 1024.0);
            }
            rss.sort(Comparator.naturalOrder());
            System.out.printf(Locale.ROOT, "total %.1f DDATA/s (offered %d/s); RSS median %.1f MiB, max %.1f MiB%n",
                    total / s, nodes * stations, pct(rss, 50), pct(rss, 100));

            broker.kill();
            host.close();
            System.out.println("broker SIGKILLed for " + outageS + " s; load " + loadavg());
            Thread.sleep(TimeUnit.SECONDS.toMillis(outageS));
            long queued = 0;
            for (Node n : fleet) {
                queued += NorthboundStatus.number(NorthboundStatus.get(n.http()), "messages");
            }
            Tally after = new Tally();
            broker.start();
            host2 = new HostApp(HostApp.Access.plain(broker.port()), "scada", false);
            host2.listener = after::take;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            while (System.nanoTime() < deadline && !drained(fleet)) {
                Thread.sleep(100);
            }
            Thread.sleep(1000);      // the last PUBACKed messages reach the host application
            long hist = after.sum(after.historical);
            long first = after.nbirthAt.values().stream().min(Long::compare).orElse(0L);
            long last = after.lastHistoricalAt.values().stream().max(Long::compare).orElse(first);
            System.out.printf(Locale.ROOT, "replay: %d queued at the restart, %d historical DDATA received in "
                    + "%.2f s from the first NBIRTH: %.0f DDATA/s in total%n", queued, hist, (last - first) / 1e9,
                    hist / Math.max(1e-9, (last - first) / 1e9));
            for (Node n : fleet) {
                Long nb = after.nbirthAt.get(n.id());
                Long lh = after.lastHistoricalAt.get(n.id());
                long h = after.get(after.historical, n.id());
                System.out.printf(Locale.ROOT, "  %s: %d historical in %.2f s after its NBIRTH (%.0f/s)%n", n.id(), h,
                        nb == null || lh == null ? 0 : (lh - nb) / 1e9,
                        nb == null || lh == null ? 0 : h / Math.max(1e-9, (lh - nb) / 1e9));
            }
            List<String> v1 = host.violations();
            List<String> v2 = host2.violations();
            System.out.println("births seen: " + tally.nbirths.get() + " NBIRTH + " + tally.dbirths.get()
                    + " DBIRTH before the outage, " + after.nbirths.get() + " + " + after.dbirths.get()
                    + " after; strict-host violations before the outage: " + v1.size() + (v1.isEmpty() ? ""
                    : " " + v1.subList(0, Math.min(5, v1.size()))) + ", after: " + v2.size() + (v2.isEmpty() ? ""
                    : " " + v2.subList(0, Math.min(5, v2.size()))));
            System.out.println("load at end: " + loadavg());
        } finally {
            for (Node n : fleet) {
                n.close();
            }
            if (host2 != null) {
                host2.close();
            }
            broker.close();
            BenchCleanup.deleteTree(work);
        }
        System.exit(0);
    }

    private static Map<String, Long> snapshot(List<Node> fleet, Tally t) {
        Map<String, Long> m = new java.util.HashMap<>();
        for (Node n : fleet) {
            m.put(n.id(), t.get(t.live, n.id()));
        }
        return m;
    }

    private static boolean drained(List<Node> fleet) {
        for (Node n : fleet) {
            String s = NorthboundStatus.get(n.http());
            if (!"born".equals(NorthboundStatus.string(s, "state")) || NorthboundStatus.number(s, "messages") > 16) {
                return false;
            }
        }
        return true;
    }

    private static double pct(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    private static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}

package dev.ferry.bench;

import dev.ferry.northbound.FerryToml;
import dev.ferry.northbound.HostApp;
import dev.ferry.northbound.Mosquitto;
import dev.ferry.sim.HostSim;
import dev.ferry.sim.NativeTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What northbound adds to a node's memory: two {@code java <launcher flags> -jar ferry.jar}
 * children side by side, each mastering S host-sim MCUs (one reading a second each) with the
 * HTTP facade, one with {@code [northbound]} publishing every MCU's temperature to a Mosquitto
 * (a host application subscribed), one without. After {@code --seconds}, VmRSS and VmHWM of both,
 * and with {@code --nmt} (adds {@code -XX:NativeMemoryTracking=summary}) the JVM's committed
 * memory by category ({@code jcmd VM.native_memory summary}) of both.
 *
 * <pre>
 * java -cp tests/target/classes:$(cat tests/target/cp.txt) dev.ferry.bench.NorthboundRssBench \
 *      [--stations 8] [--seconds 60] [--nmt] [--extra "-XX:..."] [--jar edge-runtime/target/ferry.jar]
 * </pre>
 */
public final class NorthboundRssBench {
    private NorthboundRssBench() { }

    public static void main(String[] argv) throws Exception {
        BenchSamples.quietLogs();
        Map<String, String> a = BenchSamples.args(argv);
        int stations = BenchSamples.intArg(a, "stations", 8);
        int seconds = BenchSamples.intArg(a, "seconds", 60);
        boolean nmt = a.containsKey("nmt");
        Path jar = Path.of(a.getOrDefault("jar", NativeTools.repoRoot().resolve("edge-runtime/target/ferry.jar")
                .toString()));
        List<String> flags = new ArrayList<>(FerryChild.launcherFlags(a));
        if (nmt) {
            flags.add("-XX:NativeMemoryTracking=summary");
        }
        Path work = Files.createTempDirectory("ferry-nb-rss");
        System.out.printf(Locale.ROOT, "northbound RSS: %d MCUs per node, %d s; flags %s%n", stations, seconds,
                String.join(" ", flags));
        System.out.println("load at start: " + Files.readString(Path.of("/proc/loadavg")).trim());
        try (Mosquitto broker = Mosquitto.create(work).start();
             HostApp host = new HostApp(HostApp.Access.plain(broker.port()), "scada", false);
             HostSim on = HostSim.start(stations); HostSim off = HostSim.start(stations)) {
            int httpOn = FerryChild.freePort();
            int httpOff = FerryChild.freePort();
            String tomlOn = FerryToml.stations("edge-on", httpOn, on.pty(), stations, broker.port(),
                    work.resolve("queue-on")).toString();
            String tomlOff = FerryToml.stations("edge-off", httpOff, off.pty(), stations, broker.port(),
                    work.resolve("queue-off")).nb("enabled", "false").toString();
            try (FerryChild with = FerryChild.start(jar, flags, "2", tomlOn);
                 FerryChild without = FerryChild.start(jar, flags, "2", tomlOff)) {
                with.awaitPort(httpOn);
                without.awaitPort(httpOff);
                Thread.sleep(seconds * 1000L);
                long[] w = with.rssKib();
                long[] wo = without.rssKib();
                System.out.printf(Locale.ROOT, "| node | VmRSS MiB | VmHWM MiB |%n|---|---|---|%n"
                        + "| northbound on | %.1f | %.1f |%n| northbound off | %.1f | %.1f |%n",
                        w[0] / 1024.0, w[1] / 1024.0, wo[0] / 1024.0, wo[1] / 1024.0);
                if (nmt) {
                    System.out.println("---- northbound on:\n" + jcmd(with.pid()));
                    System.out.println("---- northbound off:\n" + jcmd(without.pid()));
                }
            }
        } finally {
            BenchCleanup.deleteTree(work);
        }
        System.out.println("load at end: " + Files.readString(Path.of("/proc/loadavg")).trim());
        System.exit(0);
    }

    private static String jcmd(long pid) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "VM.native_memory", "summary")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        StringBuilder b = new StringBuilder();
        for (String line : out.split("\n")) {
            if (line.startsWith("Total") || line.startsWith("-") || line.contains("(reserved=")
                    && !line.contains("(mmap") && !line.contains("(malloc") && !line.contains("(arena")) {
                b.append(line).append('\n');
            }
        }
        return b.toString();
    }
}

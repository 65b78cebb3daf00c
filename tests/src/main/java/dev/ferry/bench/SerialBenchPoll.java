package dev.ferry.bench;

import dev.ferry.bridge.bus.LineSnapshot;
import dev.ferry.sim.SimGaps;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 4, figure 3: the idle poll cycle of N host-sim stations (addresses 1..N) on one
 * simulated RS-485 bus: the time for every station to get one turn, measured from the line's turn
 * counter over an interval, against the wire time of what the cycle actually sent (the bus
 * master's byte counters over the same interval: RR(P) polls, RR(F) answers and their leading
 * 00s) at 10 bits per byte.
 *
 * <pre>
 * java -cp ... dev.ferry.bench.SerialBenchPoll [--stations 8,32] [--baud 115200] [--seconds 10]
 *                                              [--settle-seconds 2] [--rig per-station,shared]
 * </pre>
 *
 * The per-turn overhead (measured turn minus its wire time) is what pty hops, the simulator's
 * hand-over, the firmware's poll loop and the bus master's read wake-ups add to each turn. The
 * machine's CPU busy share over the interval (all processes, from /proc/stat) shows whether the
 * simulation itself (every byte goes to N ptys and N firmware processes) saturates it.
 */
public final class SerialBenchPoll {
    private SerialBenchPoll() {
    }

    public static void main(String[] argv) throws Exception {
        BenchSamples.quietLogs();
        Map<String, String> a = BenchSamples.args(argv);
        int[] counts = BenchSamples.intsArg(a, "stations", 8, 32);
        int baud = BenchSamples.intArg(a, "baud", 115200);
        int seconds = BenchSamples.intArg(a, "seconds", 10);
        int settle = BenchSamples.intArg(a, "settle-seconds", 2);
        List<SerialBenchRig.Rig> rigs = new ArrayList<>();
        for (String r : a.getOrDefault("rig", "per-station,shared").split(",")) {
            rigs.add(SerialBenchRig.Rig.parse(r.trim()));
        }
        System.out.printf(Locale.ROOT, "idle poll cycle on a simulated bus (ferry-linesim), %d baud, %d s measured"
                + " after %d s settle%n", baud, seconds, settle);
        System.out.println("| rig | stations | attach s | turns | cycle ms (measured) | cycle ms (wire) | ratio "
                + "| host B/turn | station B/turn | overhead µs/turn | timeouts | collisions | machine CPU busy |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        List<String> gapRows = new ArrayList<>();
        for (int n : counts) {
          for (SerialBenchRig.Rig kind : rigs) {
            long t0 = System.nanoTime();
            try (SerialBenchRig rig = SerialBenchRig.start(SerialBenchRig.Mode.SIM, kind, n, baud, 256, 4, 0, 0, 60)) {
                double attach = (System.nanoTime() - t0) / 1e9;
                Thread.sleep(settle * 1000L); // let the firmware's boot-time requests go by; not synchronisation
                LineSnapshot s0 = rig.runner().lineSnapshot();
                long c0 = rig.simulator().counters().collisions.get();
                rig.simulator().resetGaps();
                long[] cpu0 = cpuTicks();
                long n0 = System.nanoTime();
                Thread.sleep(seconds * 1000L); // the measured interval
                LineSnapshot s1 = rig.runner().lineSnapshot();
                long n1 = System.nanoTime();
                SimGaps g = rig.simulator().gaps();
                long[] cpu1 = cpuTicks();
                double busy = 100.0 * (cpu1[0] - cpu0[0]) / Math.max(1, cpu1[1] - cpu0[1]);
                long turns = s1.turns() - s0.turns();
                double perTurnMs = (n1 - n0) / 1e6 / turns;
                double hostB = (double) (s1.bytesOut() - s0.bytesOut()) / turns;
                double stationB = (double) (s1.bytesIn() - s0.bytesIn()) / turns;
                double wireTurnMs = (hostB + stationB) * 10_000.0 / baud;
                System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f | %d | %d | %.0f%% |%n",
                        kind, n, attach, turns, perTurnMs * n, wireTurnMs * n, perTurnMs / wireTurnMs, hostB, stationB,
                        (perTurnMs - wireTurnMs) * 1000, s1.timeouts() - s0.timeouts(),
                        rig.simulator().counters().collisions.get() - c0, busy);
                gapRows.add(gapRow(kind, n, turns, perTurnMs * 1000, wireTurnMs * 1000, g));
            }
          }
        }
        System.out.println();
        System.out.println("turnaround gaps on the medium (ferry-linesim, exact to its pacing), µs: host = a station's"
                + " last byte -> the host's next first byte (bus master); station = the host's last byte -> the"
                + " station's first byte (rig + firmware)");
        System.out.println("| rig | stations | turn µs | wire µs | host gap mean / p50 / p99 | station gap mean / p50 / p99 "
                + "| other gaps µs/turn | medium busy µs/turn | host share of overhead |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        gapRows.forEach(System.out::println);
    }

    private static String gapRow(SerialBenchRig.Rig kind, int n, long turns, double turnUs, double wireUs, SimGaps g) {
        double other = (g.same().totalMicros() + g.other().totalMicros()) / turns;
        double hostPerTurn = g.host().totalMicros() / turns;
        double stationPerTurn = g.station().totalMicros() / turns;
        return String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f | %.0f / %d / %d (%d) | %.0f / %d / %d (%d) | %.0f | %.0f | %.0f%% |",
                kind, n, turnUs, wireUs, g.host().meanMicros(), g.host().p50Micros(), g.host().p99Micros(), g.host().count(),
                g.station().meanMicros(), g.station().p50Micros(), g.station().p99Micros(), g.station().count(),
                other, (double) g.busyMicros() / turns,
                100.0 * hostPerTurn / Math.max(1e-9, hostPerTurn + stationPerTurn + other));
    }

    /** {busy, total} jiffies of all CPUs from /proc/stat (busy = total - idle - iowait); zeros if unreadable. */
    static long[] cpuTicks() {
        try {
            String line = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0);
            String[] f = line.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (java.io.IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }
}

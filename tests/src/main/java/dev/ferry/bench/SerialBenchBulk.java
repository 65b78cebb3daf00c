package dev.ferry.bench;

import dev.ferry.bridge.bus.LineSnapshot;
import dev.ferry.rp.Message;
import dev.ferry.rp.Verb;
import dev.ferry.sim.SimCounters;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Issue 4, figure 2: bulk goodput of {@code GET /blob} (body = KiB) from one host-sim station,
 * frame size 256, window 4, at each baud rate given.
 *
 * <pre>
 * java -cp ... dev.ferry.bench.SerialBenchBulk [--kib 64] [--bauds 115200,1000000] [--repeats 3]
 *                                              [--mode sim|direct] [--t1-ms 0]
 * </pre>
 *
 * Goodput is blob bytes / (time from offering the request to the last chunk). It is compared
 * with the raw line rate (baud / 10 bytes per second) and with the line rate after framing:
 * raw rate x blob bytes / the line bytes the station must send for it (RP header of each chunk
 * message, segment bytes, COBS, CRC, delimiters, one leading 00 per answer; computed with the
 * Java encoders from the messages received). The bytes the bus master actually read are printed
 * next to it: more than the ideal means frames were sent twice (go-back-N after a T1 expiry).
 * {@code --t1-ms} forces a response timeout shorter than a full answer, to reproduce that. The host's
 * polls travel the other direction of the UART, so their cost shows up as turnaround, not as
 * framing. In sim mode the simulator's own throughput (bytes carried / elapsed) is printed too,
 * to tell whether it kept up with the baud rate.
 */
public final class SerialBenchBulk {
    private SerialBenchBulk() {
    }

    public static void main(String[] argv) throws Exception {
        BenchSamples.quietLogs();
        Map<String, String> a = BenchSamples.args(argv);
        int kib = BenchSamples.intArg(a, "kib", 64);
        int repeats = BenchSamples.intArg(a, "repeats", 3);
        int[] bauds = BenchSamples.intsArg(a, "bauds", 115200, 1_000_000);
        int t1 = BenchSamples.intArg(a, "t1-ms", 0);
        SerialBenchRig.Mode mode = SerialBenchRig.Mode.valueOf(a.getOrDefault("mode", "sim").toUpperCase(Locale.ROOT));
        System.out.printf(Locale.ROOT, "serial bulk GET /blob %d KiB, N=256 k=4, %s, T1 %s, %d runs%n", kib,
                mode == SerialBenchRig.Mode.DIRECT ? "direct socat pty pair (unpaced)" : "line simulator (paced, " + mode + ")",
                t1 == 0 ? "computed" : t1 + " ms (forced)", repeats);
        System.out.println("| baud | run | goodput B/s | % of raw line rate | framing eff. (ideal) | % of line rate "
                + "after framing | station wire B (ideal) | station wire B (measured) | T1 timeouts in run "
                + "| sim carried B/s (both dirs) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (int baud : bauds) {
            try (SerialBenchRig rig = SerialBenchRig.start(mode, 1, baud, 256, 4, 0, t1, 20)) {
                fetch(rig, 1);                               // warm-up
                double raw = baud / 10.0;
                for (int i = 1; i <= repeats; i++) {
                    Run r = fetch(rig, kib);
                    double eff = (double) r.bytes / r.idealStationBytes;
                    System.out.printf(Locale.ROOT, "| %d | %d | %.0f | %.1f%% | %.1f%% | %.1f%% | %d | %d | %d | %s |%n",
                            baud, i, r.goodput(), 100 * r.goodput() / raw, 100 * eff, 100 * r.goodput() / (raw * eff),
                            r.idealStationBytes, r.stationBytes, r.timeouts,
                            r.simRate < 0 ? "-" : String.format(Locale.ROOT, "%.0f", r.simRate));
                }
                LineSnapshot s = rig.runner().lineSnapshot();
                System.out.printf("  (line %d totals: turns %d, timeouts %d, good frames %d, foreign %d, frame errors "
                        + "%s; station %s)%n", baud, s.turns(), s.timeouts(), s.framesGood(), s.framesForeign(),
                        s.frameErrors(), rig.runner().deviceSnapshots().get(0).link());
            }
        }
    }

    /** One transfer: blob bytes, nanos, station line bytes read and ideal, T1 expiries, simulator rate. */
    record Run(long bytes, long nanos, long stationBytes, long idealStationBytes, long timeouts, double simRate) {
        double goodput() {
            return bytes * 1e9 / nanos;
        }
    }

    static Run fetch(SerialBenchRig rig, int kib) throws InterruptedException {
        SimCounters sc = rig.simulator() == null ? null : rig.simulator().counters();
        long simBefore = sc == null ? 0 : sc.bytesSent.get();
        LineSnapshot before = rig.runner().lineSnapshot();
        long t0 = System.nanoTime();
        BlockingQueue<Message> q = rig.send(1, Verb.GET, "/blob", Integer.toString(kib));
        long got = 0;
        long frames = 0;
        long ideal = 0;
        int index = 0;
        Message m;
        do {
            m = q.poll(30, TimeUnit.SECONDS);
            if (m == null || m.verb() != Verb.REP) {
                throw new IllegalStateException("blob stream broke after " + got + " bytes: " + m);
            }
            byte[] body = m.body();
            for (byte b : body) {
                if (b != (byte) ((index * 31 + 7) & 0xFF)) {
                    throw new IllegalStateException("blob byte " + index + " wrong");
                }
                index++;
            }
            got += body.length;
            ideal += SerialBenchRig.wireBytes(m, 1, rig.frame, rig.version());
            frames += dev.ferry.serial.segment.Segmenter.count((rig.version() == 2
                    ? new dev.ferry.serial.header.BinaryHeaderCodec() : new dev.ferry.serial.header.TextHeaderCodec())
                    .encode(m).length, rig.frame);
        } while (!m.eof());
        long t1 = System.nanoTime();
        LineSnapshot after = rig.runner().lineSnapshot();
        rig.forget(m.to());
        if (got != kib * 1024L) {
            throw new IllegalStateException("blob of " + got + " bytes, expected " + kib * 1024);
        }
        double simRate = sc == null ? -1 : (sc.bytesSent.get() - simBefore) * 1e9 / (t1 - t0);
        ideal += (frames + 3) / 4;                           // one leading 00 per answer of up to k = 4 frames
        return new Run(got, t1 - t0, after.bytesIn() - before.bytesIn(), ideal, after.timeouts() - before.timeouts(),
                simRate);
    }
}

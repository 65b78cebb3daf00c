package dev.ferry.bench;

import dev.ferry.bridge.bus.LineSnapshot;
import dev.ferry.rp.Message;
import dev.ferry.rp.Verb;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Issue 4, figure 1: round trip of a small GET through the serial bridge (Java bus master →
 * line simulator → host-sim firmware and back), against the physical floor: the wire time of
 * the request's I-frame (which carries the poll bit) plus the reply's I-frame with its leading
 * 00, at 10 bits per byte.
 *
 * <pre>
 * java -cp ... dev.ferry.bench.SerialBenchRtt [--samples 500] [--baud 115200] [--mode sim|direct]
 *                                             [--paths /info,/leds/0] [--warmup 30] [--idle-poll-ms 0]
 * </pre>
 *
 * Also prints the idle turn time of the single station (poll RR(P) + answer RR(F)), the wait a
 * request may have to sit out before its turn.
 */
public final class SerialBenchRtt {
    private SerialBenchRtt() {
    }

    public static void main(String[] argv) throws Exception {
        BenchSamples.quietLogs();
        Map<String, String> a = BenchSamples.args(argv);
        int samples = BenchSamples.intArg(a, "samples", 500);
        int warmup = BenchSamples.intArg(a, "warmup", 30);
        int baud = BenchSamples.intArg(a, "baud", 115200);
        SerialBenchRig.Mode mode = SerialBenchRig.Mode.valueOf(a.getOrDefault("mode", "sim").toUpperCase(Locale.ROOT));
        int idlePoll = BenchSamples.intArg(a, "idle-poll-ms", 0);
        String[] paths = a.getOrDefault("paths", "/info,/leds/0").split(",");
        try (SerialBenchRig rig = SerialBenchRig.start(mode, 1, baud, 256, 4, idlePoll, 20)) {
            double idleTurnMs = idleTurnMs(rig);
            int rr = SerialBenchRig.rrWireBytes(1);
            double idleWireMs = (rr + 1 + rr) * 10_000.0 / baud;
            System.out.printf(Locale.ROOT, "serial RTT, %s, %d baud, N=256 k=4, idle poll %s, %d samples per path%n",
                    mode == SerialBenchRig.Mode.DIRECT ? "direct socat pty pair (unpaced)" : "line simulator (paced, " + mode + ")",
                    baud, idlePoll == 0 ? "back to back" : "every " + idlePoll + " ms", samples);
            System.out.printf(Locale.ROOT, "idle turn: %.3f ms measured, %.3f ms wire (RR(P) %d B + 00 + RR(F) %d B)%n",
                    idleTurnMs, idleWireMs, rr, rr);
            System.out.println("| request | req wire B | reply wire B | floor ms | min ms | median ms | p99 ms "
                    + "| median - floor ms | turns per request | line B out + in per request |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|");
            for (String path : paths) {
                measure(rig, path, warmup, samples, baud);
            }
        }
    }

    private static void measure(SerialBenchRig rig, String path, int warmup, int samples, int baud)
            throws InterruptedException {
        BenchSamples s = new BenchSamples(samples);
        int reqWire = 0;
        int repWire = 0;
        LineSnapshot before = null;
        for (int i = 0; i < warmup + samples; i++) {
            if (i == warmup) {
                before = rig.runner().lineSnapshot();
            }
            long t0 = System.nanoTime();
            BlockingQueue<Message> q = rig.send(1, Verb.GET, path, null);
            Message reply = q.poll(10, TimeUnit.SECONDS);
            long t1 = System.nanoTime();
            if (reply == null || reply.verb() != Verb.REP) {
                throw new IllegalStateException("GET " + path + " answered " + reply);
            }
            rig.forget(reply.to());
            if (i >= warmup) {
                s.add(t1 - t0);
            }
            if (i == 0) {
                Message req = Message.builder(Verb.GET, dev.ferry.rp.Path.of(path), reply.to()).build();
                reqWire = SerialBenchRig.wireBytes(req, 1, rig.frame, rig.version());
                repWire = 1 + SerialBenchRig.wireBytes(reply, 1, rig.frame, rig.version());
            }
        }
        LineSnapshot after = rig.runner().lineSnapshot();
        double floor = (reqWire + repWire) * 10_000.0 / baud;
        System.out.printf(Locale.ROOT, "| GET %s | %d | %d | %.3f | %.3f | %.3f | %.3f | %+.3f | %.2f | %.1f + %.1f |%n",
                path, reqWire, repWire, floor, s.minMs(), s.medianMs(), s.percentileMs(99), s.medianMs() - floor,
                (double) (after.turns() - before.turns()) / samples,
                (double) (after.bytesOut() - before.bytesOut()) / samples,
                (double) (after.bytesIn() - before.bytesIn()) / samples);
    }

    /** Average time of one idle turn, from the line's turn counter over one second. */
    static double idleTurnMs(SerialBenchRig rig) throws InterruptedException {
        LineSnapshot a = rig.runner().lineSnapshot();
        long t0 = System.nanoTime();
        Thread.sleep(1000); // measuring an interval, not synchronising
        LineSnapshot b = rig.runner().lineSnapshot();
        long t1 = System.nanoTime();
        long turns = b.turns() - a.turns();
        return turns == 0 ? Double.NaN : (t1 - t0) / 1e6 / turns;
    }
}

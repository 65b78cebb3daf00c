package dev.ferry.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.bridge.bus.LineSnapshot;
import dev.ferry.bridge.device.DeviceSpec;
import dev.ferry.bridge.device.DeviceState;
import dev.ferry.bridge.device.LineRunner;
import dev.ferry.bridge.device.LineSpec;
import dev.ferry.bridge.line.SerialLine;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import dev.ferry.sim.LineSimulator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** (c) noise and (d) unplug, MCU restart and garbage on the line, through the line simulator. */
@Tag("system")
class FaultSystemTest {
    static final int BAUD = 115200;

    @TempDir
    java.nio.file.Path dir;

    final Harness h = new Harness();
    LineSimulator sim;
    Firmware fw;

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    /** Waits for a condition on counters (polled every 5 ms, bounded). */
    static void eventually(BooleanSupplier condition, long seconds, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + seconds + " s: " + what);
            }
            LockSupport.parkNanos(5_000_000L);
        }
    }

    @Test
    void noisyLineDeliversALongTransferByteExact() throws Exception {
        sim = h.own(new LineSimulator(new LineSimulator.Config(dir.resolve("host"), List.of(dir.resolve("dev0")), dir,
                BAUD, 1e-4, 0, 1234, false)).start());
        fw = h.own(Firmware.hostSim(sim.devicePaths().get(0), 1, dir, "--frame", "128"));
        LineSpec spec = LineSpec.of(sim.hostPath().toString(), BAUD).withFrame(128, 4)
                .withTimers(0, 15, 10, 100, 2000, 0);           // down after 10 failed turns: noise is not death
        h.runner = new LineRunner(spec, List.of(DeviceSpec.of("noisy", 1)), h);
        h.runner.start();
        h.await("noisy", DeviceState.ATTACHED, 15);

        long start = System.nanoTime();
        Harness.Exchange blob = h.send("noisy", Verb.GET, "/blob", true, "32");
        CompletableFuture<Blobs.Blob> done = CompletableFuture.supplyAsync(() -> {
            try {
                return Blobs.collect(blob, 20, start);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        byte[] body = new byte[600];
        new Random(5).nextBytes(body);
        for (int i = 0; i < 8; i++) {                        // host-to-MCU I-frames meet the noise too
            Harness.Exchange echo = h.new Exchange(Path.of("/#t/noisy-echo/" + i));
            assertTrue(h.offer("noisy", Message.builder(Verb.POST, Path.of("/echo"), echo.from)
                    .body(BodyType.OCTETS, body).build()));
            assertArrayEquals(body, echo.next(20).body());
            echo.close();
        }
        Blobs.Blob b = done.get(120, TimeUnit.SECONDS);
        blob.close();
        assertArrayEquals(Blobs.expected(32768), b.data());
        LineSnapshot line = h.runner.lineSnapshot();
        System.out.printf("bridge: 32 KiB at BER 1e-4 in %.2f s; line %s; sim %s%n", b.nanos() / 1e9, line, sim.counters());
        assertTrue(sim.counters().flippedBits.get() > 0);
        assertTrue(line.frameErrorTotal() > 0, "CRC drops counted");
        assertTrue(line.retransmissions() > 0, "host resent I-frames");
        assertTrue(line.timeouts() > 0);
        assertEquals(0, h.session("noisy").counters().linkResets(), "the link survived the noise");
    }

    @Test
    void unplugReplugRestartAndGarbage() throws Exception {
        sim = h.own(new LineSimulator(new LineSimulator.Config(dir.resolve("host"),
                List.of(dir.resolve("dev0"), dir.resolve("noise")), dir, BAUD, 0, 0, 99, true)).start());
        fw = h.own(Firmware.hostSim(sim.devicePaths().get(0), 1, dir));
        h.runner = new LineRunner(LineSpec.of(sim.hostPath().toString(), BAUD), List.of(DeviceSpec.of("mcu", 1)), h);
        h.runner.start();
        h.await("mcu", DeviceState.ATTACHED, 15);

        // 1. the host side of the line vanishes mid-stream, then comes back
        Harness.Exchange blob = h.send("mcu", Verb.GET, "/blob", true, "64");
        blob.next(10);
        sim.unplugHost();
        Harness.Change lost = h.await("mcu", DeviceState.LOST, 10);
        System.out.println("bridge: host side unplugged -> " + lost.reason());
        sim.replugHost();
        Harness.Change back = h.await("mcu", DeviceState.ATTACHED, 15);
        System.out.printf("bridge: replugged, ATTACHED again after %.0f ms (%s)%n",
                (back.atNanos() - lost.atNanos()) / 1e6, back.reason());
        assertTrue(back.reason().startsWith("same device restored"), back.reason());
        assertTrue(h.runner.lineSnapshot().failures() >= 1);
        assertTrue(h.runner.lineSnapshot().opens() >= 2);
        blob.replies.clear();
        blob.close();
        assertEquals(Verb.REP, h.call("mcu", Verb.GET, "/info", null).verb());

        // 2. the MCU dies mid-stream and boots again
        Harness.Exchange obs = h.send("mcu", Verb.GET, "/sensors/temp", false, "50");
        obs.next(5);
        fw.kill();
        lost = h.await("mcu", DeviceState.LOST, 10);
        assertFalse(fw.alive());
        fw.start();
        back = h.await("mcu", DeviceState.ATTACHED, 15);
        assertTrue(back.reason().startsWith("same device restored"), back.reason());
        obs.close();
        System.out.printf("bridge: MCU restart: LOST (%s) to ATTACHED in %.0f ms%n", lost.reason(),
                (back.atNanos() - lost.atNanos()) / 1e6);

        // 3. garbage from another node on the bus while the host polls an observe stream
        Harness.Exchange obs2 = h.send("mcu", Verb.GET, "/sensors/temp", false, "50");
        obs2.next(5);
        LineSnapshot before = h.runner.lineSnapshot();
        Random r = new Random(3);
        try (SerialLine noise = SerialLine.open(sim.devicePaths().get(1).toString(), BAUD)) {
            for (int i = 0; i < 5; i++) {
                byte[] junk = new byte[40];
                r.nextBytes(junk);
                noise.write(junk);
                obs2.next(5);                                  // a reading got through between bursts
            }
        }
        eventually(() -> h.runner.lineSnapshot().frameErrorTotal() + h.runner.lineSnapshot().framesForeign()
                > before.frameErrorTotal() + before.framesForeign(), 5, "garbage counted");
        for (int i = 0; i < 3; i++) {
            assertFalse(obs2.next(5).eof(), "stream continues after the garbage");
        }
        assertEquals(Verb.REP, h.call("mcu", Verb.GET, "/info", null).verb());
        LineSnapshot after = h.runner.lineSnapshot();
        System.out.println("bridge: after garbage " + after + " sim " + sim.counters());
        obs2.close();
    }
}

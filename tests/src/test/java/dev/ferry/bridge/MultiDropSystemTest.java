package dev.ferry.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.bridge.device.DeviceSpec;
import dev.ferry.bridge.device.DeviceState;
import dev.ferry.bridge.device.LineRunner;
import dev.ferry.bridge.device.LineSpec;
import dev.ferry.rp.Message;
import dev.ferry.rp.Verb;
import dev.ferry.sim.LineSimulator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** (b) Eight host-sim stations on one simulated RS-485 bus at 115200 baud. */
@Tag("system")
class MultiDropSystemTest {
    static final int BAUD = 115200;
    static final int STATIONS = 8;

    @TempDir
    java.nio.file.Path dir;

    final Harness h = new Harness();
    final List<Firmware> firmware = new ArrayList<>();
    LineSimulator sim;

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    static String name(int address) {
        return "mcu" + address;
    }

    @Test
    void eightStationsShareTheBusFairlyAndOneRestartsAlone() throws Exception {
        List<java.nio.file.Path> devs = new ArrayList<>();
        for (int i = 0; i < STATIONS; i++) {
            devs.add(dir.resolve("dev" + i));
        }
        sim = h.own(new LineSimulator(new LineSimulator.Config(dir.resolve("host"), devs, dir, BAUD, 0, 0, 11, true)).start());
        List<DeviceSpec> specs = new ArrayList<>();
        for (int a = 1; a <= STATIONS; a++) {
            firmware.add(h.own(Firmware.hostSim(devs.get(a - 1), a, dir)));
            specs.add(DeviceSpec.of(name(a), a));
        }
        h.runner = new LineRunner(LineSpec.of(sim.hostPath().toString(), BAUD), specs, h);
        long t0 = System.nanoTime();
        h.runner.start();
        for (int a = 1; a <= STATIONS; a++) {
            Harness.Change c = h.await(name(a), DeviceState.ATTACHED, 15);
            assertTrue(c.reason().contains("addr=" + a), c.reason());
        }
        System.out.printf("bridge: %d stations ATTACHED after %.0f ms%n", STATIONS, (System.nanoTime() - t0) / 1e6);
        for (int a = 1; a <= STATIONS; a++) {
            assertTrue(Harness.text(h.call(name(a), Verb.GET, "/info", null)).contains("\"addr\":" + a));
        }

        // station 1 streams 32 KiB; every other station must keep answering meanwhile
        long blobStart = System.nanoTime();
        Harness.Exchange blob = h.send(name(1), Verb.GET, "/blob", true, "32");
        CompletableFuture<Blobs.Blob> blobDone = CompletableFuture.supplyAsync(() -> {
            try {
                return Blobs.collect(blob, 15, blobStart);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        long worst = 0;
        for (int round = 0; round < 3; round++) {
            long s = System.nanoTime();
            List<Harness.Exchange> asks = new ArrayList<>();
            for (int a = 2; a <= STATIONS; a++) {
                asks.add(h.send(name(a), Verb.GET, "/sensors/temp", true, null));
            }
            for (Harness.Exchange x : asks) {
                assertEquals(Verb.REP, x.next(10).verb());
                worst = Math.max(worst, System.nanoTime() - s);
                x.close();
            }
        }
        assertFalse(blobDone.isDone(), "three rounds of 7 answers came while station 1 was still streaming");
        System.out.printf("bridge: worst round of 7 parallel GETs during a blob on an 8-station bus: %.1f ms%n", worst / 1e6);
        Blobs.Blob b = blobDone.get(60, TimeUnit.SECONDS);
        blob.close();
        assertArrayEquals(Blobs.expected(32768), b.data());

        // station 2 observes; kill it mid-stream, the others keep answering, restart it
        Harness.Exchange obs = h.send(name(2), Verb.GET, "/sensors/temp", false, "50");
        obs.next(5);
        obs.next(5);
        Firmware victim = firmware.get(1);
        victim.kill();
        Harness.Change lost = h.await(name(2), DeviceState.LOST, 10);
        System.out.println("bridge: killed station went LOST: " + lost.reason());
        for (int a = 3; a <= STATIONS; a++) {
            assertEquals(Verb.REP, h.call(name(a), Verb.GET, "/info", null).verb(), "station " + a + " unaffected");
        }
        victim.start();
        Harness.Change back = h.await(name(2), DeviceState.ATTACHED, 15);
        assertTrue(back.reason().startsWith("same device restored"), back.reason());
        System.out.printf("bridge: restarted station back after %.0f ms (%s)%n", (back.atNanos() - lost.atNanos()) / 1e6,
                back.reason());
        obs.close();
        assertEquals(Verb.REP, h.call(name(2), Verb.GET, "/info", null).verb());
        for (int a = 1; a <= STATIONS; a++) {
            if (a != 2) {
                assertEquals(0, h.session(name(a)).counters().linkResets(), "station " + a + " never lost its link");
            }
        }
        System.out.println("bridge: line " + h.runner.lineSnapshot() + ", collisions " + sim.counters().collisions.get());
        Message last = h.call(name(8), Verb.GET, "/leds/0", null);
        assertEquals(Verb.REP, last.verb());
        // idle stations were polled together (UP, PROTOCOL.md 3.8), each answering when it heard
        // the one before it through the simulated bus; everything above still held
        assertTrue(h.runner.lineSnapshot().unnumberedPolls() > 0, h.runner.lineSnapshot().toString());
    }

    /**
     * The benchmarks' shared rig: one host-sim process serving four addresses ({@code --stations 4})
     * on one device pty. Each station attaches and identifies with its own address and keeps its
     * own state: an LED switched on one station stays off on the others.
     */
    @Test
    void oneProcessServesSeveralIndependentStations() throws Exception {
        int n = 4;
        java.nio.file.Path dev = dir.resolve("shared");
        sim = h.own(new LineSimulator(new LineSimulator.Config(dir.resolve("host"), List.of(dev), dir, BAUD, 0, 0, 5, true)).start());
        h.own(Firmware.hostSim(dev, 1, dir, "--stations", Integer.toString(n)));
        List<DeviceSpec> specs = new ArrayList<>();
        for (int a = 1; a <= n; a++) {
            specs.add(DeviceSpec.of(name(a), a));
        }
        h.runner = new LineRunner(LineSpec.of(sim.hostPath().toString(), BAUD), specs, h);
        h.runner.start();
        for (int a = 1; a <= n; a++) {
            h.await(name(a), DeviceState.ATTACHED, 15);
            assertTrue(Harness.text(h.call(name(a), Verb.GET, "/info", null)).contains("\"addr\":" + a));
            assertEquals("false", Harness.text(h.call(name(a), Verb.GET, "/leds/0", null)).trim());
        }
        assertEquals(Verb.REP, h.call(name(3), Verb.PUT, "/leds/0", "true").verb());
        for (int a = 1; a <= n; a++) {
            assertEquals(a == 3 ? "true" : "false", Harness.text(h.call(name(a), Verb.GET, "/leds/0", null)).trim(),
                    "station " + a);
        }
        assertEquals(0, sim.counters().collisions.get(), "only the polled station answered");
        long ups = h.runner.lineSnapshot().unnumberedPolls();
        long turns = h.runner.lineSnapshot().turns();
        assertTrue(ups > 0, "the four idle stations were polled together by UPs: " + h.runner.lineSnapshot());
        assertTrue(turns > ups, "a UP is one turn per station polled");
    }
}

package dev.ferry.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.bridge.bus.LineSnapshot;
import dev.ferry.bridge.device.DeviceSnapshot;
import dev.ferry.bridge.device.DeviceSpec;
import dev.ferry.bridge.device.DeviceState;
import dev.ferry.bridge.device.LineRunner;
import dev.ferry.bridge.device.LineSpec;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import dev.ferry.sim.LineSimulator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** (a) One host-sim firmware process behind the line simulator at 115200 baud. */
@Tag("system")
class SingleStationSystemTest {
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

    @Test
    void identifiesServesObservesAndStreamsABlob() throws Exception {
        sim = h.own(new LineSimulator(new LineSimulator.Config(dir.resolve("host"), List.of(dir.resolve("dev0")), dir,
                BAUD, 0, 0, 7, false)).start());
        fw = h.own(Firmware.hostSim(sim.devicePaths().get(0), 1, dir));
        h.runner = new LineRunner(LineSpec.of(sim.hostPath().toString(), BAUD), List.of(DeviceSpec.of("sim1", 1)), h);
        long t0 = System.nanoTime();
        h.runner.start();

        Harness.Change attached = h.await("sim1", DeviceState.ATTACHED, 10);
        System.out.printf("bridge: start to ATTACHED %.1f ms (%s)%n", (attached.atNanos() - t0) / 1e6, attached.reason());
        assertTrue(attached.reason().startsWith("first attach: board=host-sim"), attached.reason());
        assertEquals("0.1.0", h.session("sim1").identity().orElseThrow().fw());
        DeviceSnapshot snap = h.session("sim1").snapshot();
        assertEquals(256, snap.frameSize());
        assertEquals(4, snap.window());

        Message boot = h.unsolicited.poll(10, TimeUnit.SECONDS);
        assertTrue(boot != null && boot.verb() == Verb.GET && boot.to().equals(Path.of("/#runtime/time/unix_ms")),
                "firmware's boot request reaches the host: " + boot);
        assertEquals(Path.of("/#r/1"), boot.from());
        assertTrue(h.offer("sim1", Message.builder(Verb.REP, boot.from(), Path.of("/#runtime/time/unix_ms#streams/1"))
                .body(BodyType.JSON, "1700000000123".getBytes(StandardCharsets.UTF_8)).build()));

        long turns0 = h.runner.lineSnapshot().turns();
        long idle0 = System.nanoTime();
        h.unsolicited.poll(500, TimeUnit.MILLISECONDS);      // an idle half second: how fast does the bus poll?
        System.out.printf("bridge: idle polling: %.0f turns/s%n",
                (h.runner.lineSnapshot().turns() - turns0) / ((System.nanoTime() - idle0) / 1e9));
        for (int i = 0; i < 5; i++) {
            long s = System.nanoTime();
            Message info = h.call("sim1", Verb.GET, "/info", null);
            System.out.printf("bridge: GET /info round trip at %d baud: %.2f ms%n", BAUD, (System.nanoTime() - s) / 1e6);
            assertEquals(Verb.REP, info.verb());
            assertTrue(Harness.text(info).contains("\"board\":\"host-sim\""), Harness.text(info));
        }
        Message temp = h.call("sim1", Verb.GET, "/sensors/temp", null);
        assertEquals(Verb.REP, temp.verb());
        assertTrue(Harness.text(temp).contains("\"c\":"), Harness.text(temp));

        assertEquals("true", Harness.text(h.call("sim1", Verb.PUT, "/leds/0", "true")));
        assertEquals("true", Harness.text(h.call("sim1", Verb.GET, "/leds/0", null)));
        assertEquals(400, h.call("sim1", Verb.PUT, "/leds/0", "maybe").status());

        byte[] big = new byte[1000];                         // four segments each way at N = 256
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 7);
        }
        Harness.Exchange echo = h.new Exchange(Path.of("/#t/echo"));
        assertTrue(h.offer("sim1", Message.builder(Verb.POST, Path.of("/echo"), echo.from)
                .body(BodyType.OCTETS, big).build()));
        Message echoed = echo.next(10);
        echo.close();
        assertArrayEquals(big, echoed.body());

        observe();
        Message time = h.call("sim1", Verb.GET, "/time", null);
        assertEquals(200, time.status());
        String stored = new String(time.body(), StandardCharsets.UTF_8);
        assertTrue(stored.contains("\"status\":200") && stored.contains("\"time\":1700000000123"), stored);

        Blobs.Blob blob = Blobs.fetch(h, "sim1", 64, 10);
        System.out.printf("bridge: 64 KiB blob in %d messages, %.2f s, %.0f B/s at %d baud%n", blob.messages(),
                blob.nanos() / 1e9, blob.data().length / (blob.nanos() / 1e9), BAUD);
        assertArrayEquals(Blobs.expected(65536), blob.data());
        assertTrue(blob.messages() >= 64 && blob.data().length / blob.messages() > 256 - 5,
                "messages larger than one frame: reassembled from segments");

        LineSnapshot line = h.runner.lineSnapshot();
        System.out.println("bridge: line " + line);
        assertTrue(line.bytesIn() > 65536);
        assertEquals(0, line.frameErrorTotal(), "clean line: no CRC drops");
        assertEquals(0, h.session("sim1").counters().linkResets());
    }

    /**
     * Issue 15: an inbound queue shorter than the window made the bus answer RNR forever (it waits
     * for room for a whole window). The window offered at link set-up is now at most the queue.
     */
    @Test
    void aQueueShorterThanTheWindowNarrowsTheWindowInsteadOfStallingTheLink() throws Exception {
        dev.ferry.sim.PtyPair pty = h.own(new dev.ferry.sim.PtyPair(dir.resolve("host"), dir.resolve("dev0")));
        fw = h.own(Firmware.hostSim(pty.inner(), 1, dir));
        DeviceSpec small = DeviceSpec.of("sim1", 1).withSession(
                dev.ferry.bridge.device.SessionConfig.DEFAULT.withCapacities(2, 2));
        h.runner = new LineRunner(LineSpec.of(pty.outer().toString(), BAUD).withFrame(256, 4), List.of(small), h);
        h.runner.start();
        h.await("sim1", DeviceState.ATTACHED, 10);
        assertEquals(2, h.session("sim1").snapshot().window(), "window narrowed to the queue");

        // the MCU talks without being asked twice: 20 readings through a queue of two
        Harness.Exchange obs = h.send("sim1", Verb.GET, "/sensors/temp", false, "20");
        for (int i = 0; i < 20; i++) {
            assertFalse(obs.next(5).eof());
        }
        Blobs.Blob blob = Blobs.fetch(h, "sim1", 16, 10);
        assertArrayEquals(Blobs.expected(16384), blob.data());
        assertEquals(0L, h.session("sim1").counters().dropSnapshot().values().stream().mapToLong(Long::longValue).sum(),
                "nothing dropped: " + h.session("sim1").counters());
    }

    private void observe() throws InterruptedException {
        Harness.Exchange obs = h.send("sim1", Verb.GET, "/sensors/temp", false, "50");
        Message first = obs.next(5);
        assertFalse(first.eof());
        Path stream = first.from();
        assertTrue(stream.toString().startsWith("/sensors/temp#streams/"), stream.toString());
        obs.next(5);
        obs.next(5);

        assertEquals("false", Harness.text(h.call("sim1", Verb.PUT, stream + "#flow", "false")));
        obs.replies.poll(100, TimeUnit.MILLISECONDS);        // at most one reading was already on its way
        obs.replies.clear();
        assertNull(obs.replies.poll(300, TimeUnit.MILLISECONDS), "paused: no readings");

        assertEquals("true", Harness.text(h.call("sim1", Verb.PUT, stream + "#flow", "true")));
        assertFalse(obs.next(5).eof(), "resumed");

        assertEquals(Verb.REP, h.call("sim1", Verb.DELETE, stream.toString(), null).verb());
        Message end;
        do {
            end = obs.next(5);
        } while (end.verb() == Verb.REP);
        assertEquals(Verb.ERROR, end.verb());
        assertEquals(499, end.status());
        assertTrue(end.eof());
        obs.close();
    }
}

package dev.ferry.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.bridge.device.DeviceSpec;
import dev.ferry.bridge.device.DeviceState;
import dev.ferry.bridge.device.LineRunner;
import dev.ferry.bridge.device.LineSpec;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import dev.ferry.sim.PtyPair;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RP/serial versions meet at link set-up (PROTOCOL.md 3.6): the lower major version is used, so a
 * version 1 MCU keeps working with a version 2 host and a version 2 MCU with a version 1 host.
 * Each case runs the real firmware on a pty and does what a user does: requests, an observation,
 * a blob across segments, flow control on a stream.
 */
@Tag("system")
class VersionCompatSystemTest {
    static final int BAUD = 115200;

    @TempDir
    java.nio.file.Path dir;

    final Harness h = new Harness();

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    private void start(boolean v1Firmware, int hostProtocol) throws Exception {
        PtyPair pty = h.own(new PtyPair(dir.resolve("host"), dir.resolve("dev0")));
        h.own(v1Firmware ? Firmware.hostSimV1(pty.inner(), 1, dir) : Firmware.hostSim(pty.inner(), 1, dir));
        LineSpec spec = LineSpec.of(pty.outer().toString(), BAUD).withProtocol(hostProtocol);
        h.runner = new LineRunner(spec, List.of(DeviceSpec.of("sim1", 1)), h);
        h.runner.start();
        h.await("sim1", DeviceState.ATTACHED, 10);
    }

    private void worksAsBefore() throws Exception {
        assertTrue(Harness.text(h.call("sim1", Verb.GET, "/info", null)).contains("\"board\":\"host-sim\""));
        assertEquals("true", Harness.text(h.call("sim1", Verb.PUT, "/leds/0", "true")));
        assertEquals("true", Harness.text(h.call("sim1", Verb.GET, "/leds/0", null)));
        Message notFound = h.call("sim1", Verb.GET, "/no/such", null);
        assertEquals(Verb.ERROR, notFound.verb());
        assertEquals(404, notFound.status());
        Harness.Exchange obs = h.send("sim1", Verb.GET, "/sensors/temp", false, "20");
        Message first = obs.next(5);
        assertFalse(first.eof());
        Path stream = first.from();
        assertTrue(stream.toString().startsWith("/sensors/temp#streams/"), stream.toString());
        assertEquals(Verb.REP, h.call("sim1", Verb.DELETE, stream.toString(), null).verb());
        Message last;
        do {
            last = obs.next(5);
        } while (!last.eof());
        assertEquals(499, last.status(), "the cancelled stream ends with ERROR S499 from its own path");
        assertEquals(stream, last.from());
        obs.close();
        Blobs.Blob blob = Blobs.fetch(h, "sim1", 8, 10);
        assertTrue(java.util.Arrays.equals(Blobs.expected(8192), blob.data()));
        assertEquals(0, h.runner.lineSnapshot().frameErrorTotal());
    }

    @Test
    void version1McuWithVersion2Host() throws Exception {
        start(true, 2);
        assertEquals(1, h.session("sim1").negotiated().orElseThrow().major());
        worksAsBefore();
        assertTrue(h.session("sim1").resourceTable().isEmpty(), "no resource table on version 1");
    }

    @Test
    void version2McuWithVersion1Host() throws Exception {
        start(false, 1);
        assertEquals(1, h.session("sim1").negotiated().orElseThrow().major());
        worksAsBefore();
    }

    @Test
    void version2BothSidesLearnsTheResourceTable() throws Exception {
        start(false, 2);
        assertEquals(2, h.session("sim1").negotiated().orElseThrow().major());
        worksAsBefore();
        assertEquals(List.of(Path.of("/info"), Path.of("/sensors/temp"), Path.of("/leds/0"), Path.of("/echo"),
                Path.of("/blob"), Path.of("/time")), h.session("sim1").resourceTable());
    }
}

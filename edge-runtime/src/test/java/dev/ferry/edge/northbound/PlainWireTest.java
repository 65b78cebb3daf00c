package dev.ferry.edge.northbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.config.NorthboundConfig;
import dev.ferry.rp.Path;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Plain MQTT values as a dashboard reads them: live ones retained, replayed ones flagged and never retained. */
@Tag("small")
class PlainWireTest {
    private final PlainWire wire = new PlainWire(NorthboundConfig.disabled("edge1"));

    private DiskQueue.Entry reading(String type, String body) {
        Group g = new Group("dev0", "device:dev0", true);
        Resource r = new Resource(Path.of("/dev0/sensors/temp"), g, "sensors/temp");
        r.lastType = type;
        r.lastBody = body.getBytes(StandardCharsets.UTF_8);
        return new DiskQueue.Entry(1, 1234, Wire.DATA, wire.key(r), wire.data(r, Map.of(), 1234));
    }

    @Test
    void liveValuesAreRetainedReplayedOnesAreHistoricalAtQos1AndNotRetained() {
        Wire.Out live = wire.finish(reading("j", "{\"c\":21.5}"), false, 2000).get(0);
        assertEquals("ferry/edge1/dev0/sensors/temp", live.topic());
        assertEquals("{\"ts\":1234,\"value\":{\"c\":21.5},\"historical\":false}",
                new String(live.payload(), StandardCharsets.UTF_8));
        assertTrue(live.retain());
        Wire.Out old = wire.finish(reading("j", "{\"c\":20}"), true, 2000).get(0);
        assertEquals("{\"ts\":1234,\"value\":{\"c\":20},\"historical\":true}",
                new String(old.payload(), StandardCharsets.UTF_8));
        assertFalse(old.retain(), "a replayed value never replaces a newer retained one");
        assertEquals(1, old.qos());
        assertEquals(List.of(), wire.historyDone(3000));
    }

    @Test
    void textAndOctetsAreStrings() {
        assertEquals("{\"ts\":1234,\"value\":\"on \\\"x\\\"\",\"historical\":false}", new String(wire.finish(
                reading("t", "on \"x\""), false, 1).get(0).payload(), StandardCharsets.UTF_8));
        assertEquals("{\"ts\":1234,\"value\":\"AAE=\",\"historical\":false}", new String(wire.finish(
                new DiskQueue.Entry(2, 1234, Wire.DATA, "/dev0/b", new byte[] {1, 'o', 0, 1}), false, 1).get(0)
                .payload(), StandardCharsets.UTF_8));
    }
}

package dev.ferry.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class SimGapsTest {

    @Test
    void parsesTheSimulatorsGapsLine() {
        SimGaps g = SimGaps.parse("GAPS busy_us=1130 overlaps=2 host=10,150.5,140,300,410 station=11,90.0,88,120,130"
                + " same=0,0.0,0,0,0 other=1,5.0,5,5,5");
        assertEquals(1130, g.busyMicros());
        assertEquals(2, g.overlaps());
        assertEquals(new SimGaps.Kind(10, 150.5, 140, 300, 410), g.host());
        assertEquals(new SimGaps.Kind(11, 90.0, 88, 120, 130), g.station());
        assertEquals(0, g.same().count());
        assertEquals(5.0, g.other().totalMicros());
    }

    @Test
    void rejectsAnythingElse() {
        assertThrows(IllegalArgumentException.class, () -> SimGaps.parse("OK"));
        assertThrows(IllegalArgumentException.class, () -> SimGaps.parse("ERR unknown command: gaps"));
        assertThrows(IllegalArgumentException.class, () -> SimGaps.parse(
                "GAPS busy_us=1 overlaps=0 host=1,1,1,1 station=0,0,0,0,0 same=0,0,0,0,0 other=0,0,0,0,0"));
        assertThrows(IllegalArgumentException.class, () -> SimGaps.parse(
                "GAPS busy_us=x overlaps=0 host=0,0,0,0,0 station=0,0,0,0,0 same=0,0,0,0,0 other=0,0,0,0,0"));
    }
}

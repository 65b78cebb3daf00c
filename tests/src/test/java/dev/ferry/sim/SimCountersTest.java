package dev.ferry.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class SimCountersTest {

    @Test
    void parsesTheSimulatorsStatsLine() {
        SimCounters c = SimCounters.parse("STATS sent=10 delivered=9 flipped=3 dropped=1 collisions=2 overruns=7");
        assertEquals(10, c.bytesSent.get());
        assertEquals(9, c.bytesDelivered.get());
        assertEquals(3, c.flippedBits.get());
        assertEquals(1, c.droppedBytes.get());
        assertEquals(2, c.collisions.get());
        assertEquals(7, c.overruns.get());
    }

    @Test
    void rejectsAnythingElse() {
        assertThrows(IllegalArgumentException.class, () -> SimCounters.parse("OK"));
        assertThrows(IllegalArgumentException.class, () -> SimCounters.parse("ERR unknown command: stats"));
        assertThrows(IllegalArgumentException.class,
                () -> SimCounters.parse("STATS sent=1 delivered=1 flipped=0 dropped=0 collisions=0 lost=0"));
        assertThrows(IllegalArgumentException.class,
                () -> SimCounters.parse("STATS sent=x delivered=1 flipped=0 dropped=0 collisions=0 overruns=0"));
    }
}

package dev.ferry.bridge.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.serial.link.LinkParams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class ResponseTimeoutTest {

    @Test
    void t1IsMarginPlusOurBytesPlusKResponseFramesAtTenBitsPerByte() {
        BusConfig c = BusConfig.of(LinkParams.of(256, 4), 115200);
        // W(256) = 256 + 2 + 1 = 259; 4 frames = 1036 bytes; plus our 32 = 1068 bytes = 10680 bits
        long wire = (10680L * 1_000_000_000L + 115199) / 115200;          // 92 708 334 ns
        assertEquals(15_000_000L + wire, ResponseTimeout.nanos(c, 32, 4, 256));
        assertEquals(107_708_334L, ResponseTimeout.nanos(c, 32, 4, 256));
    }

    @Test
    void setupTurnWaitsOnlyForAUa() {
        BusConfig c = BusConfig.of(LinkParams.of(256, 4), 9600).withTurnaroundNanos(0);
        // SNRM on the wire: 00 + 10 bytes; UA: W(8) = 10 bytes; 21 bytes at 9600 = 21.875 ms
        assertEquals(21_875_000L, ResponseTimeout.nanos(c, 11, 1, ResponseTimeout.UA_FRAME_SIZE));
    }

    @Test
    void overrideWins() {
        BusConfig c = BusConfig.of(LinkParams.of(64, 1), 115200).withT1OverrideNanos(250_000_000L);
        assertEquals(250_000_000L, ResponseTimeout.nanos(c, 1000, 7, 2048));
    }
}

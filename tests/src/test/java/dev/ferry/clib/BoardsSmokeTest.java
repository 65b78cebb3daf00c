package dev.ferry.clib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The reference firmware built for both boards and driven over a real pty by the board smoke
 * tool: host-sim as a Linux process, and the ATmega328P build running in qemu-system-avr.
 */
@Tag("system")
class BoardsSmokeTest {
    @Test
    void bothBoardsServeEveryResourceOverTheirPty() throws Exception {
        MakeTarget.Result r = MakeTarget.run("boards", 600, "smoke");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("host-sim: 0 failure(s)"), r.output());
        assertTrue(r.output().contains("qemu: 0 failure(s)"), r.output());
    }

    @Test
    void unoFirmwareReportsItsSize() throws Exception {
        MakeTarget.Result r = MakeTarget.run("boards", 300, "size");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("Program:"), r.output());
    }
}

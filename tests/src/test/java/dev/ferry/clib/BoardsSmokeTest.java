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

    /**
     * Issue 15: the sizes in the Uno profile (and the boards README that quotes them) are what
     * avr-size measures on this build, not figures from an older library.
     */
    @Test
    void unoProfileAndReadmeGiveTheSizesTheBuildMeasures() throws Exception {
        MakeTarget.Result r = MakeTarget.run("boards", 300, "size");
        assertEquals(0, r.exit(), r.output());
        long flash = number(r.output(), "Program:\\s+(\\d+) bytes");
        long ram = number(r.output(), "Data:\\s+(\\d+) bytes");
        java.nio.file.Path boards = MakeTarget.repoRoot().resolve("boards");
        String profile = java.nio.file.Files.readString(boards.resolve("profiles/mcus/arduino-uno.toml"));
        assertEquals(flash, number(profile, "used_flash_bytes = (\\d+)"), "profile used_flash_bytes vs avr-size");
        assertEquals(ram, number(profile, "used_ram_bytes = (\\d+)"), "profile used_ram_bytes vs avr-size");
        String readme = java.nio.file.Files.readString(boards.resolve("README.md")).replaceAll("\\s+", " ");
        assertTrue(readme.contains("Program " + flash + " bytes") && readme.contains("Data " + ram + " bytes"),
                "boards/README.md quotes Program " + flash + " / Data " + ram);
    }

    private static long number(String text, String regex) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex + " not in:\n" + text);
        return Long.parseLong(m.group(1));
    }
}

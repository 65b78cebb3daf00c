package dev.ferry.clib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The C99 RP/serial library (serial-protocol/c) built and tested through its Makefile, so that
 * one test command covers both languages: host unit tests against the shared vectors, the same
 * under ASan/UBSan and valgrind, a bounded libFuzzer run of every decoder, and the AVR size budget.
 */
@Tag("system")
class CLibraryTest {
    private static final String DIR = "serial-protocol/c";

    @Test
    void hostUnitTestsPassAgainstSharedVectors() throws Exception {
        MakeTarget.Result r = MakeTarget.run(DIR, 600, "test");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains(" 0 failures"), r.output());
    }

    @Test
    void unitTestsAreCleanUnderAddressSanitizer() throws Exception {
        MakeTarget.Result r = MakeTarget.run(DIR, 600, "asan");
        assertEquals(0, r.exit(), r.output());
    }

    @Test
    void unitTestsAreCleanUnderValgrind() throws Exception {
        MakeTarget.Result r = MakeTarget.run(DIR, 900, "valgrind");
        assertEquals(0, r.exit(), r.output());
    }

    @Test
    void fuzzersFindNoCrashInBoundedRun() throws Exception {
        String seconds = System.getProperty("ferry.fuzz.seconds", "60");
        MakeTarget.Result r = MakeTarget.run(DIR, 1200, "fuzz", "FUZZ_SECONDS=" + seconds);
        assertEquals(0, r.exit(), r.output());
    }

    @Test
    void avrBuildFitsTheSizeBudget() throws Exception {
        MakeTarget.Result r = MakeTarget.run(DIR, 300, "avr-size");
        assertEquals(0, r.exit(), r.output());
        Matcher m = Pattern.compile("Program:\\s+(\\d+) bytes").matcher(r.output());
        assertTrue(m.find(), "avr-size printed no Program line:\n" + r.output());
    }
}

package dev.ferry.edge.resi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class PathIntegrityTest {

    @Test
    void failsAfterLimitBadOnesWithoutAGoodRunBetweenAndRecoversAfterAGoodRun() {
        PathIntegrity p = new PathIntegrity(3, 0);
        assertEquals(PathIntegrity.Change.NONE, p.bad(0));
        assertEquals(PathIntegrity.Change.NONE, p.good(0));
        assertEquals(PathIntegrity.Change.NONE, p.good(0)); // two good: not a run of 3
        assertEquals(PathIntegrity.Change.NONE, p.bad(0));
        assertEquals(PathIntegrity.Change.FAILING, p.bad(0));
        assertTrue(p.failing());
        assertEquals(PathIntegrity.Change.NONE, p.bad(0), "the change is reported once");
        assertEquals(PathIntegrity.Change.NONE, p.good(0));
        assertEquals(PathIntegrity.Change.NONE, p.good(0));
        assertEquals(PathIntegrity.Change.RECOVERED, p.good(0));
        assertFalse(p.failing());
        assertEquals(PathIntegrity.Change.NONE, p.good(0));
        assertEquals(4, p.badTotal());
    }

    @Test
    void aRunOfGoodOnesForgivesEarlierBadOnes() {
        PathIntegrity p = new PathIntegrity(3, 0);
        for (int round = 0; round < 100; round++) {
            p.bad(0);
            p.bad(0);
            p.good(0);
            p.good(0);
            p.good(0);
        }
        assertFalse(p.failing(), "two bad in every five, each time followed by a good run");
    }

    @Test
    void aPathThatKeepsCorruptingFailsAndOneThatRarelyDoesStays() {
        Random r = new Random(7);
        PathIntegrity heavy = new PathIntegrity(8, 0);
        PathIntegrity light = new PathIntegrity(8, 0);
        boolean heavyFailed = false;
        for (int i = 0; i < 10_000; i++) {
            heavyFailed |= (r.nextDouble() < 0.3 ? heavy.bad(i) : heavy.good(i)) == PathIntegrity.Change.FAILING;
            assertEquals(PathIntegrity.Change.NONE, r.nextDouble() < 0.001 ? light.bad(i) : light.good(i));
        }
        assertTrue(heavyFailed, "30 % corrupt copies");
        assertFalse(light.failing(), "0.1 % corrupt copies");
    }

    @Test
    void aFailingPathRecoversOnlyAfterAQuietTime() {
        PathIntegrity p = new PathIntegrity(2, 1000);
        p.bad(0);
        assertEquals(PathIntegrity.Change.FAILING, p.bad(10));
        p.good(20);
        assertEquals(PathIntegrity.Change.NONE, p.good(30), "a good run, but a bad one 20 ns ago");
        assertEquals(PathIntegrity.Change.NONE, p.bad(500));
        p.good(600);
        p.good(1000);
        assertEquals(PathIntegrity.Change.RECOVERED, p.good(1500), "a good run and 1000 ns without a bad one");
    }

    @Test
    void theLimitIsPositive() {
        assertThrows(IllegalArgumentException.class, () -> new PathIntegrity(0, 0));
    }
}

package dev.ferry.bridge.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class TurnaroundEstimateTest {
    private static final long MS = 1_000_000L;

    @Test
    void theConfiguredMarginHoldsUntilTheStationIsSlowerThanIt() {
        TurnaroundEstimate e = new TurnaroundEstimate();
        assertEquals(15 * MS, e.marginNanos(15 * MS, true), "no samples: the configured margin");
        for (int i = 0; i < 50; i++) {
            e.sample(MS / 10);                                // a prompt station: 0.1 ms
        }
        assertEquals(15 * MS, e.marginNanos(15 * MS, true));
    }

    @Test
    void aSlowStationRaisesTheMarginAndATimeoutBacksOff() {
        TurnaroundEstimate e = new TurnaroundEstimate();
        for (int i = 0; i < 50; i++) {
            e.sample(i % 2 == 0 ? 20 * MS : 40 * MS);        // an emulator on a loaded host
        }
        long m = e.marginNanos(15 * MS, true);
        assertTrue(m > 40 * MS && m < 120 * MS, "margin covers the slow answers: " + m);
        e.timedOut();
        assertEquals(4 * m, e.marginNanos(15 * MS, true), "a timeout quadruples it for the next turn");
        assertEquals(m, e.marginNanos(15 * MS, false), "but not for a set-up probe");
        for (int i = 0; i < 10; i++) {
            e.timedOut();
        }
        assertEquals(Math.min(TurnaroundEstimate.MAX_MARGIN_NANOS, m << (2 * TurnaroundEstimate.MAX_BACKOFF_SHIFT)),
                e.marginNanos(15 * MS, true), "bounded back-off");
        e.sample(30 * MS);
        assertTrue(e.marginNanos(15 * MS, true) < 4 * m, "an answer ends the back-off");
    }

    @Test
    void theMarginIsCapped() {
        TurnaroundEstimate e = new TurnaroundEstimate();
        e.sample(10_000 * MS);
        assertEquals(TurnaroundEstimate.MAX_MARGIN_NANOS, e.marginNanos(15 * MS, true));
    }
}

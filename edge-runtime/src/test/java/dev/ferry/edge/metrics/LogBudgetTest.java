package dev.ferry.edge.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class LogBudgetTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final LogBudget budget = new LogBudget(100, 2, now::get);

    @Test
    void writesTheFirstLineThenOnePerIntervalCountingTheRest() {
        assertEquals(0, budget.admit("a"));
        assertEquals(-1, budget.admit("a"));
        now.addAndGet(99);
        assertEquals(-1, budget.admit("a"));
        assertEquals(0, budget.admit("b"), "keys are independent");
        now.addAndGet(1);
        assertEquals(2, budget.admit("a"), "the written line reports the two held back");
        assertEquals(-1, budget.admit("a"));
        now.addAndGet(100);
        assertEquals(1, budget.admit("a"));
    }

    @Test
    void aFloodThatStopsIsStillReportedOnceItsIntervalIsOver() {
        budget.admit("a");
        budget.admit("a");
        budget.admit("a");
        budget.admit("b");
        assertEquals(java.util.Map.of(), budget.drainHeld(), "not before the interval is over");
        now.addAndGet(100);
        assertEquals(java.util.Map.of("a", 2L), budget.drainHeld(), "b held nothing back");
        assertEquals(java.util.Map.of(), budget.drainHeld(), "reported once");
        assertEquals(-1, budget.admit("a"), "the summary counts as a's written line");
        now.addAndGet(100);
        assertEquals(1, budget.admit("a"));
    }

    @Test
    void keysPastTheBoundAreAlwaysWrittenAndNeverStored() {
        budget.admit("a");
        budget.admit("b");
        for (int i = 0; i < 5; i++) {
            assertEquals(0, budget.admit("c" + i), "untracked keys are not suppressed");
            assertEquals(0, budget.admit("c" + i));
        }
        assertEquals(-1, budget.admit("a"), "tracked keys still are");
    }

    @Test
    void refusesANonsenseBudget() {
        assertThrows(IllegalArgumentException.class, () -> new LogBudget(0, 1, now::get));
        assertThrows(IllegalArgumentException.class, () -> new LogBudget(1, 0, now::get));
    }
}

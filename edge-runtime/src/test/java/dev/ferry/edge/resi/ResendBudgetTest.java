package dev.ferry.edge.resi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class ResendBudgetTest {
    private static final long MS = 1_000_000;

    @Test
    void aSecondsWorthAtOnceThenTheRate() {
        ResendBudget b = new ResendBudget(100);
        assertEquals(100, b.take(500, 0));
        assertEquals(0, b.take(1, 0));
        assertEquals(10, b.take(50, 100 * MS));
        assertEquals(0, b.take(1, 105 * MS));
        assertEquals(1, b.take(1, 110 * MS));
        assertEquals(100, b.take(1000, 10_000 * MS), "never more than a second's worth");
    }

    @Test
    void partialTokensAreNotLost() {
        ResendBudget b = new ResendBudget(3);
        b.take(3, 0);
        int got = 0;
        for (long t = 1; t <= 1000; t++) {
            got += b.take(10, t * MS);
        }
        assertEquals(3, got, "3 per second, taken in 1 ms steps");
    }

    @Test
    void theRateIsPositive() {
        assertThrows(IllegalArgumentException.class, () -> new ResendBudget(0));
    }
}

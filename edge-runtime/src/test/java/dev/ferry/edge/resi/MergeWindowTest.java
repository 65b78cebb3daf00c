package dev.ferry.edge.resi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.config.PeerConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class MergeWindowTest {
    private static final long BOTH = 0b11;
    private static final long ONLY_0 = 0b01;

    private static MergeWindow<String> window(PeerConfig.Mode mode, int cap) {
        return new MergeWindow<>(mode, cap, 2, String::equals);
    }

    @Test
    void permissiveDeliversFirstCopyAndDropsLaterOnes() {
        MergeWindow<String> w = window(PeerConfig.Mode.PERMISSIVE, 16);
        List<String> out = new ArrayList<>();
        assertEquals(MergeWindow.Outcome.ACCEPTED, w.offer(1, 0, "a", BOTH, out));
        assertEquals(MergeWindow.Outcome.DUPLICATE, w.offer(1, 1, "a", BOTH, out));
        assertEquals(List.of("a"), out);
        assertEquals(1, w.delivered());
        assertEquals(1, w.duplicates());
    }

    @Test
    void permissiveHoldsOutOfOrderUntilTheGapFills() {
        MergeWindow<String> w = window(PeerConfig.Mode.PERMISSIVE, 16);
        List<String> out = new ArrayList<>();
        w.offer(2, 0, "b", BOTH, out);
        w.offer(3, 1, "c", BOTH, out);
        assertTrue(out.isEmpty());
        assertEquals(2, w.held());
        w.offer(3, 0, "c", BOTH, out); // a held duplicate
        w.offer(1, 1, "a", BOTH, out);
        assertEquals(List.of("a", "b", "c"), out);
        assertEquals(0, w.held());
        assertEquals(1, w.duplicates());
    }

    @Test
    void windowIsBoundedAndOldNumbersAreDuplicates() {
        MergeWindow<String> w = window(PeerConfig.Mode.PERMISSIVE, 4);
        List<String> out = new ArrayList<>();
        assertEquals(MergeWindow.Outcome.OUT_OF_WINDOW, w.offer(5, 0, "e", BOTH, out));
        assertEquals(MergeWindow.Outcome.ACCEPTED, w.offer(4, 0, "d", BOTH, out));
        for (int i = 1; i <= 3; i++) {
            w.offer(i, 0, "x" + i, BOTH, out);
        }
        assertEquals(4, out.size());
        assertEquals(MergeWindow.Outcome.DUPLICATE, w.offer(2, 1, "x2", BOTH, out));
        assertEquals(MergeWindow.Outcome.ACCEPTED, w.offer(8, 0, "h", BOTH, out));
        assertEquals(1, w.outOfWindow());
    }

    @Test
    void wrapsAroundTheRingManyTimes() {
        MergeWindow<String> w = window(PeerConfig.Mode.PERMISSIVE, 16);
        List<String> out = new ArrayList<>();
        for (long s = 1; s <= 10_000; s += 2) { // pairs arrive swapped, each twice
            w.offer(s + 1, 1, "m" + (s + 1), BOTH, out);
            w.offer(s, 0, "m" + s, BOTH, out);
            w.offer(s, 1, "m" + s, BOTH, out);
            w.offer(s + 1, 0, "m" + (s + 1), BOTH, out);
        }
        assertEquals(10_000, out.size());
        for (int i = 0; i < out.size(); i++) {
            assertEquals("m" + (i + 1), out.get(i));
        }
        assertEquals(10_000, w.duplicates());
    }

    @Test
    void strictWaitsForEveryLiveTransport() {
        MergeWindow<String> w = window(PeerConfig.Mode.STRICT, 16);
        List<String> out = new ArrayList<>();
        w.offer(1, 0, "a", BOTH, out);
        assertTrue(out.isEmpty());
        assertTrue(w.waitingForCopies(1, BOTH));
        w.offer(1, 1, "a", BOTH, out);
        assertEquals(List.of("a"), out);
        assertEquals(MergeWindow.Outcome.DUPLICATE, w.offer(1, 1, "a", BOTH, out));
    }

    @Test
    void strictMismatchIsNeverDeliveredAndAResendFixesIt() {
        MergeWindow<String> w = window(PeerConfig.Mode.STRICT, 16);
        List<String> out = new ArrayList<>();
        w.offer(1, 0, "good", BOTH, out);
        assertEquals(MergeWindow.Outcome.MISMATCH, w.offer(1, 1, "bad!", BOTH, out));
        assertTrue(out.isEmpty());
        assertEquals(1, w.mismatches());
        assertEquals(new MergeWindow.Mismatch(1, 0, 1), w.lastMismatch());
        assertEquals(0, w.held());
        w.offer(1, 1, "good", BOTH, out); // the resend
        w.offer(1, 0, "good", BOTH, out);
        assertEquals(List.of("good"), out);
    }

    @Test
    void strictDegradesWhenATransportLeavesTheLiveSet() {
        MergeWindow<String> w = window(PeerConfig.Mode.STRICT, 16);
        List<String> out = new ArrayList<>();
        w.offer(1, 0, "a", BOTH, out);
        w.offer(2, 0, "b", BOTH, out);
        assertTrue(out.isEmpty());
        w.liveChanged(ONLY_0, out); // transport 1 declared dead
        assertEquals(List.of("a", "b"), out);
        w.offer(3, 0, "c", ONLY_0, out);
        assertEquals(List.of("a", "b", "c"), out);
        w.offer(4, 0, "d", BOTH, out); // transport 1 rejoined: wait for it again
        assertEquals(3, out.size());
        w.offer(4, 1, "d", BOTH, out);
        assertEquals(4, out.size());
    }

    @Test
    void resetStartsAgainFromAGivenNumber() {
        MergeWindow<String> w = window(PeerConfig.Mode.PERMISSIVE, 16);
        List<String> out = new ArrayList<>();
        w.offer(3, 0, "c", BOTH, out);
        w.reset(99);
        assertEquals(0, w.held());
        w.offer(100, 0, "n", BOTH, out);
        assertEquals(List.of("n"), out);
    }
}

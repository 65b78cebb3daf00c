package dev.ferry.edge.raet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * When the kind C receiver answers at the end of a read batch (RAET.md 3, C): a steady in-order
 * stream gets one status per {@code ackEvery} segments (window / 8, at most 32; the rest wait
 * for the timer), while a gap, a filled hole or a duplicate is answered at once.
 */
@Tag("small")
class StatusPacingTest {
    private static final long NOW = 1_000_000_000L;
    private final List<byte[]> delivered = new ArrayList<>();

    private static Header seg(long oi, int sn, int sc) {
        return Header.of(5, 100 + oi, ServiceKind.SEQUENCE, PacketKind.MESSAGE).withOrder(oi, sn, sc);
    }

    private SeqReceiver receiver(RaetOptions o) {
        return new SeqReceiver(o, delivered::add);
    }

    @Test
    void aSteadyStreamIsAcknowledgedEveryThirtyTwoSegments() {
        SeqReceiver r = receiver(RaetOptions.defaults());
        int statuses = 0;
        for (int sn = 0; sn < 320; sn++) {
            assertEquals(SeqReceiver.Result.ACCEPTED, r.accept(seg(1, sn, 320), new byte[10], NOW));
            assertTrue(r.statusOwed(NOW), "the timer would still send one");
            if (r.statusDue(NOW)) {
                statuses++;
                r.entries(new boolean[1], new boolean[1], NOW);
            }
        }
        assertEquals(10, statuses);
        assertEquals(1, delivered.size());
        assertEquals(3200, delivered.get(0).length);
    }

    @Test
    void gapsHolesAndDuplicatesAreAnsweredAtOnce() {
        SeqReceiver r = receiver(RaetOptions.defaults());
        r.accept(seg(1, 0, 4), new byte[10], NOW);
        assertFalse(r.statusDue(NOW), "in order: wait");
        r.accept(seg(1, 2, 4), new byte[10], NOW);
        assertTrue(r.statusDue(NOW), "segment 1 skipped");
        boolean[] needs = new boolean[1];
        r.entries(needs, new boolean[1], NOW);
        assertTrue(needs[0], "the status asks for the missing segment");
        r.accept(seg(1, 1, 4), new byte[10], NOW);
        assertTrue(r.statusDue(NOW), "a hole filled");
        r.entries(new boolean[1], new boolean[1], NOW);
        assertEquals(SeqReceiver.Result.DUPLICATE, r.accept(seg(1, 1, 4), new byte[10], NOW));
        assertTrue(r.statusDue(NOW), "a duplicate means the sender is resending");
        r.entries(new boolean[1], new boolean[1], NOW);
        r.accept(seg(3, 0, 1), new byte[10], NOW);
        assertTrue(r.statusDue(NOW), "message 2 skipped");
    }

    @Test
    void aSmallWindowIsAcknowledgedEverySegment() {
        SeqReceiver r = receiver(RaetOptions.defaults().withWindow(8));
        for (int sn = 0; sn < 5; sn++) {
            r.accept(seg(1, sn, 5), new byte[10], NOW);
            assertTrue(r.statusDue(NOW), "segment " + sn);
            r.entries(new boolean[1], new boolean[1], NOW);
        }
    }
}

package dev.ferry.edge.resi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.edge.config.PeerConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class GapRepairTest {
    private static final long MS = 1_000_000;
    private final List<String> asked = new ArrayList<>();
    private final GapRepair.Sink sink = (t, seq) -> asked.add(t + ":" + seq);

    private static MergeWindow<String> strict() {
        return new MergeWindow<>(PeerConfig.Mode.STRICT, 64, 2, String::equals);
    }

    @Test
    void aStreamTransportIsAskedForACopyItSkippedOnlyOnItselfAndOnce() {
        MergeWindow<String> w = strict();
        GapRepair g = new GapRepair(true, 2);
        List<String> out = new ArrayList<>();
        for (long s = 1; s <= 5; s++) {
            w.offer(s, 1, "m" + s, 3, out);  // transport 1 carried 1..5
            if (s != 3) {
                w.offer(s, 0, "m" + s, 3, out); // transport 0 lost (or corrupted) 3
                g.seen(0, s);
            }
            g.seen(1, s);
        }
        assertEquals(2, out.size(), "1 and 2 released; 3 waits for transport 0");
        g.check(0, true, false, w, 0, 100 * MS, sink);
        g.check(1, true, false, w, 0, 100 * MS, sink);
        assertEquals(List.of("0:3"), asked);
        g.check(0, true, false, w, 50 * MS, 100 * MS, sink);
        assertEquals(1, asked.size(), "not asked again within the retry time");
        g.check(0, true, false, w, 150 * MS, 100 * MS, sink);
        assertEquals(List.of("0:3", "0:3"), asked, "asked again after it");
        w.offer(3, 0, "m3", 3, out);
        assertEquals(5, out.size());
        g.check(0, true, false, w, 400 * MS, 100 * MS, sink);
        assertEquals(2, asked.size());
    }

    @Test
    void aDatagramTransportIsAskedOnlyAtATickAndForWhatWasOverdueAtTheTickBefore() {
        MergeWindow<String> w = strict();
        GapRepair g = new GapRepair(true, 2);
        List<String> out = new ArrayList<>();
        w.offer(2, 0, "m2", 3, out);
        g.seen(0, 2);
        g.check(0, false, false, w, 0, 100 * MS, sink);
        g.check(0, false, true, w, 0, 100 * MS, sink);
        assertEquals(List.of(), asked, "1 may still be on its way: datagrams reorder");
        g.check(0, false, true, w, 10 * MS, 100 * MS, sink);
        assertEquals(List.of("0:1"), asked);
    }

    @Test
    void permissiveAsksOnlyForWhatNoTransportBrought() {
        MergeWindow<String> w = new MergeWindow<>(PeerConfig.Mode.PERMISSIVE, 64, 2, String::equals);
        GapRepair g = new GapRepair(false, 2);
        List<String> out = new ArrayList<>();
        w.offer(2, 1, "m2", 3, out);
        w.offer(3, 0, "m3", 3, out);
        g.seen(1, 2);
        g.seen(0, 3);
        g.check(0, true, false, w, 0, 100 * MS, sink);
        assertEquals(List.of("0:1"), asked, "2 is held (from transport 1): only 1 is missing everywhere");
    }

    @Test
    void askingIsBoundedPerCheck() {
        MergeWindow<String> w = new MergeWindow<>(PeerConfig.Mode.STRICT, 4096, 2, String::equals);
        GapRepair g = new GapRepair(true, 2);
        g.seen(0, 2000);
        g.check(0, true, false, w, 0, 100 * MS, sink);
        assertEquals(GapRepair.PER_CHECK, asked.size());
    }
}

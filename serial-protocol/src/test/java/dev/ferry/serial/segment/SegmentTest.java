package dev.ferry.serial.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.rp.DecodeError;
import dev.ferry.rp.Decoded;
import dev.ferry.serial.frame.FrameCounters;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class SegmentTest {
    private final FrameCounters counters = new FrameCounters();
    private final List<Decoded<byte[]>> out = new ArrayList<>();

    @Test
    void roundTripManySizesIncludingIndexWrap() {
        Random rnd = new Random(4);
        for (int n : new int[] {32, 64, 256, 2048}) {
            for (int len : new int[] {0, 1, n - 5, n - 4, 64 * (n - 5) + 3, 5000}) {
                byte[] msg = new byte[len];
                rnd.nextBytes(msg);
                List<byte[]> segs = Segmenter.segments(msg, n);
                assertEquals(Segmenter.count(len, n), segs.size());
                assertArrayEquals(msg, Segmenter.join(segs));
                Reassembler r = new Reassembler(1 << 20, counters);
                out.clear();
                segs.forEach(s -> r.accept(s, out::add));
                assertEquals(1, out.size(), "n=" + n + " len=" + len);
                assertArrayEquals(msg, out.get(0).value());
            }
        }
        assertEquals(0, counters.totalErrors());
    }

    @Test
    void gapsAreTypedAndCounted() {
        Reassembler r = new Reassembler(1000, counters);
        List<byte[]> segs = Segmenter.segments(new byte[100], 32);
        r.accept(segs.get(1), out::add);                       // no FIRST
        r.accept(segs.get(0), out::add);
        r.accept(segs.get(2), out::add);                       // skipped index 1
        r.accept(segs.get(0), out::add);
        r.accept(segs.get(0), out::add);                       // FIRST while in progress: restart
        for (int i = 1; i < segs.size(); i++) {
            r.accept(segs.get(i), out::add);
        }
        assertEquals(DecodeError.SEGMENT_GAP, out.get(0).error());
        assertEquals(DecodeError.SEGMENT_GAP, out.get(1).error());
        assertEquals(DecodeError.SEGMENT_GAP, out.get(2).error());
        assertEquals(100, out.get(3).value().length);
        assertEquals(3, counters.errors(DecodeError.SEGMENT_GAP));
    }

    @Test
    void tooLargeDiscardsRestThenRecovers() {
        Reassembler r = new Reassembler(50, counters);
        Segmenter.segments(new byte[200], 32).forEach(s -> r.accept(s, out::add));
        assertEquals(List.of(DecodeError.TOO_LARGE), out.stream().map(Decoded::error).toList());
        assertTrue(r.buffered() <= 50);
        out.clear();
        Segmenter.segments(new byte[50], 32).forEach(s -> r.accept(s, out::add));
        assertEquals(50, out.get(0).value().length);
        assertEquals(1, counters.errors(DecodeError.TOO_LARGE));
    }
}

package dev.ferry.edge.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class UdpFragmentsTest {
    @Test
    void smallEnvelopesTravelWhole() {
        UdpFragments.Reassembler r = new UdpFragments.Reassembler(4, 1 << 16, 1_000_000_000L);
        List<byte[]> d = UdpFragments.split(new byte[] {1, 2, 3}, 100, 1);
        assertEquals(1, d.size());
        assertArrayEquals(new byte[] {1, 2, 3}, r.accept(d.get(0), d.get(0).length, 0).envelope());
    }

    @Test
    void largeEnvelopesAreSegmentedAndReassembledInAnyOrder() {
        byte[] env = new byte[5000];
        new Random(1).nextBytes(env);
        List<byte[]> d = new java.util.ArrayList<>(UdpFragments.split(env, 500, 77));
        assertEquals(11, d.size());
        assertTrue(d.stream().allMatch(x -> x.length <= 500));
        Collections.shuffle(d, new Random(2));
        UdpFragments.Reassembler r = new UdpFragments.Reassembler(4, 1 << 16, 1_000_000_000L);
        byte[] got = null;
        for (int i = 0; i < d.size(); i++) {
            UdpFragments.Outcome o = r.accept(d.get(i), d.get(i).length, 0);
            assertFalse(o.isError());
            if (i < d.size() - 1) {
                assertFalse(o.isEnvelope());
            } else {
                got = o.envelope();
            }
        }
        assertArrayEquals(env, got);
        assertEquals(0, r.pending());
    }

    @Test
    void partialEnvelopesAreBoundedAndExpire() {
        UdpFragments.Reassembler r = new UdpFragments.Reassembler(2, 1 << 16, 1000);
        for (int id = 1; id <= 3; id++) {
            byte[] first = UdpFragments.split(new byte[300], 100, id).get(0);
            r.accept(first, first.length, 0);
        }
        assertEquals(2, r.pending());
        assertEquals(1, r.evicted());
        byte[] late = UdpFragments.split(new byte[3], 100, 9).get(0);
        r.accept(late, late.length, 5000);
        assertEquals(0, r.pending());
        assertEquals(3, r.evicted());
    }

    @Test
    void garbageIsAReasonNotAnException() {
        UdpFragments.Reassembler r = new UdpFragments.Reassembler(2, 1000, 1000);
        assertTrue(r.accept(new byte[] {'X', 1}, 2, 0).isError());
        assertTrue(r.accept(new byte[] {'F', 1, 2}, 3, 0).isError());
        assertTrue(r.accept(new byte[] {'F', 0, 0, 0, 1, 0, 5, 0, 2, 9}, 10, 0).isError());
        assertTrue(r.accept(new byte[0], 0, 0).isError());
        byte[] big = new byte[1200];
        big[0] = 'E';
        assertTrue(r.accept(big, big.length, 0).isError());
    }
}

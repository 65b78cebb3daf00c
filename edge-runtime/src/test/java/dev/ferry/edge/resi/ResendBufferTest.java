package dev.ferry.edge.resi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class ResendBufferTest {
    @Test
    void boundedAckedCumulativelyAndWrapsAround() {
        ResendBuffer b = new ResendBuffer(3, 1 << 20);
        assertTrue(b.add(10, new byte[] {10}));
        assertTrue(b.add(11, new byte[] {11}));
        assertTrue(b.add(12, new byte[] {12}));
        assertTrue(b.isFull());
        assertFalse(b.add(13, new byte[] {13}));
        assertEquals(2, b.ack(11));
        assertEquals(12, b.oldest());
        assertTrue(b.add(13, new byte[] {13}));
        assertTrue(b.add(14, new byte[] {14}));
        assertArrayEquals(new byte[] {14}, b.get(14));
        assertNull(b.get(11));
        List<Long> seqs = new ArrayList<>();
        b.forEach((s, bytes) -> seqs.add(s));
        assertEquals(List.of(12L, 13L, 14L), seqs);
        assertEquals(0, b.ack(5));
        assertEquals(3, b.ack(100));
        assertEquals(-1, b.oldest());
    }

    @Test
    void fullOnceItHoldsMaxBytesWhateverTheCount() {
        ResendBuffer b = new ResendBuffer(1000, 100);
        assertTrue(b.add(1, new byte[60]));
        assertTrue(b.quarterFree());
        assertTrue(b.add(2, new byte[60]));        // may pass the bound by one envelope
        assertEquals(120, b.bytes());
        assertTrue(b.isFull());
        assertFalse(b.quarterFree());
        assertFalse(b.add(3, new byte[1]));
        assertEquals(1, b.ack(1));
        assertEquals(60, b.bytes());
        assertFalse(b.isFull());
        assertTrue(b.quarterFree());                // 40 of 100 bytes free
        assertTrue(b.add(3, new byte[20]));
        assertFalse(b.quarterFree());               // 20 free: less than a quarter
        assertEquals(2, b.ack(3));
        assertEquals(0, b.bytes());
        assertTrue(b.quarterFree());
    }
}

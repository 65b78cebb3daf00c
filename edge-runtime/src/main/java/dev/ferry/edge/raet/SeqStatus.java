package dev.ferry.edge.raet;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of a kind C status (ACK or RESEND; RAET.md 3.3): progress of messages at or after the
 * header's cumulative order index {@code oi}. Packed big-endian; at most {@link #MAX_ENTRIES}
 * entries of at most {@link #MAX_RANGES} ranges. Decoding is bounded and returns null when
 * malformed.
 *
 * <pre>
 *   entry := delta:u16 (oi - header.oi)  hi:u16 (highest segment received + 1; 0 = none)
 *            n:u8  n × (first:u16 last:u16)   missing segment ranges below hi, inclusive
 * </pre>
 */
final class SeqStatus {
    static final int MAX_ENTRIES = 32;
    static final int MAX_RANGES = 32;

    /** One message's progress. {@code missing} holds inclusive pairs. */
    record Entry(int delta, int hi, int[] missing) {
        int ranges() {
            return missing.length / 2;
        }
    }

    private SeqStatus() { }

    static byte[] encode(List<Entry> entries) {
        int n = 0;
        for (Entry e : entries) {
            n += 5 + 4 * e.ranges();
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (Entry e : entries) {
            b.putShort((short) e.delta).putShort((short) e.hi).put((byte) e.ranges());
            for (int m : e.missing) {
                b.putShort((short) m);
            }
        }
        return b.array();
    }

    static List<Entry> decode(byte[] body) {
        List<Entry> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(body);
        int lastDelta = -1;
        while (b.hasRemaining()) {
            if (b.remaining() < 5 || out.size() >= MAX_ENTRIES) {
                return null;
            }
            int delta = b.getShort() & 0xFFFF;
            int hi = b.getShort() & 0xFFFF;
            int n = b.get() & 0xFF;
            if (delta <= lastDelta || n > MAX_RANGES || b.remaining() < 4 * n) {
                return null;
            }
            int[] missing = new int[2 * n];
            int prev = -1;
            for (int i = 0; i < missing.length; i += 2) {
                missing[i] = b.getShort() & 0xFFFF;
                missing[i + 1] = b.getShort() & 0xFFFF;
                if (missing[i] <= prev || missing[i + 1] < missing[i] || missing[i + 1] >= hi) {
                    return null;
                }
                prev = missing[i + 1];
            }
            out.add(new Entry(delta, hi, missing));
            lastDelta = delta;
        }
        return out;
    }
}

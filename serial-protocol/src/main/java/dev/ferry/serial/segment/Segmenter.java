package dev.ferry.serial.segment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a message into segments for frame size N (PROTOCOL.md 4): each segment is a segment byte
 * (FIRST bit 7, MORE bit 6, index mod 64) followed by up to N - 5 message bytes. Stateless.
 */
public final class Segmenter {
    /** Segment byte bits. */
    public static final int FIRST = 0x80;
    public static final int MORE = 0x40;
    public static final int INDEX_MASK = 0x3F;

    private Segmenter() {
    }

    /** Message bytes per segment for frame size N: N - 5. */
    public static int partSize(int frameSize) {
        if (frameSize < 6) {
            throw new IllegalArgumentException("frame size too small for segments: " + frameSize);
        }
        return frameSize - 5;
    }

    /** Number of segments a message of {@code length} bytes needs (at least 1). */
    public static int count(int length, int frameSize) {
        int part = partSize(frameSize);
        return Math.max(1, (length + part - 1) / part);
    }

    /** Segment {@code index} (0-based) of {@code message} for frame size N. */
    public static byte[] segment(byte[] message, int frameSize, int index) {
        int part = partSize(frameSize);
        int total = count(message.length, frameSize);
        if (index < 0 || index >= total) {
            throw new IndexOutOfBoundsException("segment " + index + " of " + total);
        }
        int from = index * part;
        int to = Math.min(message.length, from + part);
        byte[] seg = new byte[1 + to - from];
        seg[0] = (byte) ((index == 0 ? FIRST : 0) | (index + 1 < total ? MORE : 0) | (index & INDEX_MASK));
        System.arraycopy(message, from, seg, 1, to - from);
        return seg;
    }

    /** All segments of {@code message}, in order. */
    public static List<byte[]> segments(byte[] message, int frameSize) {
        int total = count(message.length, frameSize);
        List<byte[]> out = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            out.add(segment(message, frameSize, i));
        }
        return out;
    }

    /** Convenience for tests: segments joined back into the message they carry. */
    static byte[] join(List<byte[]> segments) {
        int n = 0;
        for (byte[] s : segments) {
            n += s.length - 1;
        }
        byte[] out = new byte[n];
        int w = 0;
        for (byte[] s : segments) {
            System.arraycopy(s, 1, out, w, s.length - 1);
            w += s.length - 1;
        }
        return Arrays.copyOf(out, w);
    }
}

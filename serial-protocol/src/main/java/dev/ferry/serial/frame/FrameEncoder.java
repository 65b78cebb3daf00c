package dev.ferry.serial.frame;

/**
 * Turns a {@link Frame} into line bytes: CRC-16/X-25 trailer (low byte first), COBS, one 00
 * delimiter (PROTOCOL.md 2). Pure: no I/O. An instance keeps a scratch buffer and is therefore
 * not thread-safe; use one per thread (the static {@link #encodeFrame} is always safe).
 */
public final class FrameEncoder {
    /** Smallest and largest frame size N this code accepts. */
    public static final int MIN_FRAME_SIZE = 4;
    public static final int MAX_FRAME_SIZE = 2048;

    private final int frameSize;
    private final byte[] raw;

    /**
     * An encoder for frames of at most {@code frameSize} unstuffed bytes.
     *
     * @throws IllegalArgumentException if frameSize is outside 4..2048
     */
    public FrameEncoder(int frameSize) {
        checkFrameSize(frameSize);
        this.frameSize = frameSize;
        this.raw = new byte[frameSize];
    }

    /** W(N) = N + 2 + floor(N / 254): the most line bytes one frame of size N occupies. */
    public static int maxWireLength(int frameSize) {
        return frameSize + 2 + frameSize / 254;
    }

    static void checkFrameSize(int frameSize) {
        if (frameSize < MIN_FRAME_SIZE || frameSize > MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("frame size must be 4..2048: " + frameSize);
        }
    }

    public int frameSize() {
        return frameSize;
    }

    /** Encodes one frame into a new array (delimiter included). */
    public byte[] encode(Frame f) {
        byte[] info = f.info();
        byte[] out = new byte[maxWireLength(info.length + 4)];
        int n = encode(f.address(), f.control(), info, 0, info.length, out, 0);
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    /**
     * Encodes a frame into {@code dst} at {@code dstOff}, which needs
     * {@code maxWireLength(len + 4)} bytes of room; returns the bytes written (delimiter included).
     *
     * @throws IllegalArgumentException if the information field exceeds N - 4
     */
    public int encode(int address, int control, byte[] info, int off, int len, byte[] dst, int dstOff) {
        if (len > frameSize - 4) {
            throw new IllegalArgumentException("information field " + len + " > N-4 = " + (frameSize - 4));
        }
        raw[0] = (byte) address;
        raw[1] = (byte) control;
        System.arraycopy(info, off, raw, 2, len);
        int crc = Crc16.compute(raw, 0, len + 2);
        raw[len + 2] = (byte) crc;
        raw[len + 3] = (byte) (crc >>> 8);
        int n = Cobs.encode(raw, 0, len + 4, dst, dstOff);
        dst[dstOff + n] = 0;
        return n + 1;
    }

    /** Encodes one frame of any legal size into a new array; thread-safe. */
    public static byte[] encodeFrame(Frame f) {
        return new FrameEncoder(Math.max(MIN_FRAME_SIZE, f.unstuffedLength())).encode(f);
    }
}

package dev.ferry.serial.link;

import java.util.Optional;

/**
 * Link parameters carried by SNRM and UA (PROTOCOL.md 3.6): version (major in the high nibble),
 * frame size N (32..2048) and window k (1..7). Immutable and always valid once constructed.
 */
public record LinkParams(int version, int frameSize, int window) {
    /** Protocol version 1.0 (text header). */
    public static final int VERSION_1_0 = 0x10;
    /** Protocol version 2.0 (binary header, PROTOCOL.md 8). */
    public static final int VERSION_2_0 = 0x20;
    /** Protocol version 2.1: 2.0 plus the unnumbered poll UP (PROTOCOL.md 3.8). */
    public static final int VERSION_2_1 = 0x21;
    /** The newest version this implementation speaks, offered by default. */
    public static final int VERSION_LATEST = VERSION_2_1;
    public static final int MIN_FRAME_SIZE = 32;
    public static final int MAX_FRAME_SIZE = 2048;
    public static final int MIN_WINDOW = 1;
    public static final int MAX_WINDOW = 7;
    /** Size of the encoded form. */
    public static final int ENCODED_LENGTH = 4;

    /** @throws IllegalArgumentException if a value is out of range */
    public LinkParams {
        if (!valid(version, frameSize, window)) {
            throw new IllegalArgumentException("bad link parameters: v=" + version + " N=" + frameSize + " k=" + window);
        }
    }

    /** The latest version (2.1) with the given frame size and window. */
    public static LinkParams of(int frameSize, int window) {
        return new LinkParams(VERSION_LATEST, frameSize, window);
    }

    /** These parameters offering {@code v} (e.g. {@link #VERSION_1_0} to speak only version 1). */
    public LinkParams withVersion(int v) {
        return new LinkParams(v, frameSize, window);
    }

    private static boolean valid(int version, int frameSize, int window) {
        return version >= 0 && version <= 0xFF && frameSize >= MIN_FRAME_SIZE && frameSize <= MAX_FRAME_SIZE
                && window >= MIN_WINDOW && window <= MAX_WINDOW;
    }

    /** Parses an SNRM/UA information field; empty if its length or a value is invalid. */
    public static Optional<LinkParams> decode(byte[] info) {
        if (info == null || info.length != ENCODED_LENGTH) {
            return Optional.empty();
        }
        int v = info[0] & 0xFF;
        int n = ((info[1] & 0xFF) << 8) | (info[2] & 0xFF);
        int k = info[3] & 0xFF;
        return valid(v, n, k) ? Optional.of(new LinkParams(v, n, k)) : Optional.empty();
    }

    /** The 4-byte information field. */
    public byte[] encode() {
        return new byte[] {(byte) version, (byte) (frameSize >>> 8), (byte) frameSize, (byte) window};
    }

    public int major() {
        return version >>> 4;
    }

    /** True when both sides understand the unnumbered poll UP: version 2.1 or newer within major 2. */
    public boolean unnumberedPoll() {
        return major() == 2 && version >= VERSION_2_1;
    }

    /**
     * True if a link with {@code other} can be used: the lower of the two major versions is one
     * this side speaks (1 or 2, and not above its own). A version 2 side speaks 1 as well.
     */
    public boolean compatibleWith(LinkParams other) {
        int m = Math.min(major(), other.major());
        return m >= 1 && m <= 2;
    }

    /** The negotiated parameters: the minimum of each value. */
    public LinkParams negotiate(LinkParams other) {
        return new LinkParams(Math.min(version, other.version), Math.min(frameSize, other.frameSize),
                Math.min(window, other.window));
    }

    /** Largest information field: N - 4. */
    public int maxInfo() {
        return frameSize - 4;
    }
}

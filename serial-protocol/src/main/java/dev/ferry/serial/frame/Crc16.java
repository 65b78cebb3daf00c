package dev.ferry.serial.frame;

/**
 * CRC-16/X-25 (the HDLC FCS, PROTOCOL.md 2.1): poly 0x1021 reflected, init 0xFFFF, xorout 0xFFFF.
 * {@link #compute} returns the transmitted value (already inverted); the trailer is written low byte
 * first. Running the un-inverted register over data plus its trailer leaves {@link #GOOD_RESIDUE}.
 */
public final class Crc16 {
    /** Initial register value. */
    public static final int INIT = 0xFFFF;
    /** Register value after data followed by its correct trailer. */
    public static final int GOOD_RESIDUE = 0xF0B8;

    private static final char[] TABLE = new char[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x8408 : c >>> 1;
            }
            TABLE[i] = (char) c;
        }
    }

    private Crc16() {
    }

    /** Advances the un-inverted register {@code crc} by one byte. */
    public static int update(int crc, byte b) {
        return (crc >>> 8) ^ TABLE[(crc ^ b) & 0xFF];
    }

    /** Advances the un-inverted register over a range of bytes. */
    public static int update(int crc, byte[] b, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            crc = (crc >>> 8) ^ TABLE[(crc ^ b[i]) & 0xFF];
        }
        return crc;
    }

    /** The CRC-16/X-25 value of a range (as transmitted, i.e. inverted). */
    public static int compute(byte[] b, int off, int len) {
        return update(INIT, b, off, len) ^ 0xFFFF;
    }

    /** The CRC-16/X-25 value of a whole array. */
    public static int compute(byte[] b) {
        return compute(b, 0, b.length);
    }
}

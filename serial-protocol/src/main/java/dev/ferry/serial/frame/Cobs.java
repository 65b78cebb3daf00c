package dev.ferry.serial.frame;

import dev.ferry.rp.DecodeError;
import dev.ferry.rp.Decoded;

/**
 * Consistent Overhead Byte Stuffing exactly as PROTOCOL.md 2.2: canonical encoding (no code byte
 * after a final {@code FF} block, {@code 01} for empty input), lenient decoding of non-canonical
 * forms. Stateless and thread-safe; the delimiter is not part of what these methods see.
 */
public final class Cobs {
    private Cobs() {
    }

    /** The largest encoding of {@code n} raw bytes: {@code n + 1 + floor(n / 254)}. */
    public static int maxEncodedLength(int n) {
        return n + 1 + n / 254;
    }

    /** Encodes a whole array into a new array. */
    public static byte[] encode(byte[] raw) {
        byte[] out = new byte[maxEncodedLength(raw.length)];
        int n = encode(raw, 0, raw.length, out, 0);
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    /**
     * Encodes {@code src[off, off+len)} into {@code dst} from {@code dstOff}; {@code dst} needs
     * {@link #maxEncodedLength(int)} bytes of room. Returns the number of bytes written.
     */
    public static int encode(byte[] src, int off, int len, byte[] dst, int dstOff) {
        int codePos = dstOff;
        int w = dstOff + 1;
        int code = 1;
        int end = off + len;
        for (int i = off; i < end; i++) {
            byte b = src[i];
            if (b == 0) {
                dst[codePos] = (byte) code;
                codePos = w++;
                code = 1;
            } else {
                dst[w++] = b;
                if (++code == 0xFF) {
                    dst[codePos] = (byte) 0xFF;
                    if (i + 1 == end) {
                        return w - dstOff;             // ends after a full block: no code byte
                    }
                    codePos = w++;
                    code = 1;
                }
            }
        }
        dst[codePos] = (byte) code;
        return w - dstOff;
    }

    /**
     * Decodes {@code src[off, off+len)} into {@code dst} (needs {@code len} bytes of room);
     * returns the decoded length or -1 when the blocks do not fit (BAD_COBS) or a 00 occurs.
     */
    public static int decode(byte[] src, int off, int len, byte[] dst, int dstOff) {
        int i = off;
        int end = off + len;
        int w = dstOff;
        while (i < end) {
            int c = src[i++] & 0xFF;
            if (c == 0 || i + c - 1 > end) {
                return -1;
            }
            for (int k = 1; k < c; k++) {
                byte b = src[i++];
                if (b == 0) {
                    return -1;
                }
                dst[w++] = b;
            }
            if (c < 0xFF && i < end) {
                dst[w++] = 0;
            }
        }
        return w - dstOff;
    }

    /** Decodes a whole array; BAD_COBS on malformed input. */
    public static Decoded<byte[]> decode(byte[] encoded) {
        byte[] out = new byte[encoded.length];
        int n = decode(encoded, 0, encoded.length, out, 0);
        return n < 0 ? Decoded.error(DecodeError.BAD_COBS) : Decoded.ok(java.util.Arrays.copyOf(out, n));
    }
}

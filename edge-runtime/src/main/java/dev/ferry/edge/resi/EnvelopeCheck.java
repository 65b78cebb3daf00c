package dev.ferry.edge.resi;

import java.util.zip.CRC32C;

/**
 * The integrity check every envelope carries (resi.proto {@code Envelope.crc}, RESI extension
 * {@value #EXTENSION}): CRC-32C of the envelope's bytes as sent, with the check's own field (tag
 * byte {@code 0x1D} and four little-endian value bytes) left out. It lets a receiver tell a
 * corrupt copy from a good one and blame the transport it came on, which two copies that merely
 * differ cannot. Stateless.
 *
 * <p>Placement: sequenced envelopes carry it after {@code seq} and {@code ack}, before the body
 * ({@link SequencedEnvelope#stamp}); control envelopes at the end ({@link #seal}). A receiver
 * verifies it wherever it is.
 */
final class EnvelopeCheck {
    /** Extension id announced in the handshake by a peer that sends the check on every envelope. */
    static final int EXTENSION = 2;
    /** Field 3, wire type 5 (fixed32). */
    static final byte TAG = 0x1D;
    /** Bytes of the field: tag and value. */
    static final int FIELD_BYTES = 5;

    /** What the check says about one envelope. */
    enum Verdict {
        /** The check is there and matches. */
        OK,
        /** There is no check (a peer without extension 2, or a copy that lost it). */
        MISSING,
        /** The check is there and does not match, or is malformed (two of them, wrong type). */
        BAD
    }

    private EnvelopeCheck() { }

    /** CRC-32C of {@code b} without the {@value #FIELD_BYTES} bytes from {@code skipAt} (-1: none skipped). */
    static int crc(byte[] b, int skipAt) {
        CRC32C c = new CRC32C();
        if (skipAt < 0) {
            c.update(b, 0, b.length);
        } else {
            c.update(b, 0, skipAt);
            c.update(b, skipAt + FIELD_BYTES, b.length - skipAt - FIELD_BYTES);
        }
        return (int) c.getValue();
    }

    /** The check of a head and a body sent one after the other, the field between them. */
    static int crc(byte[] head, int headLength, byte[] body) {
        CRC32C c = new CRC32C();
        c.update(head, 0, headLength);
        c.update(body, 0, body.length);
        return (int) c.getValue();
    }

    /** Writes the field (tag and little-endian value) at {@code at}. */
    static void write(byte[] out, int at, int crc) {
        out[at] = TAG;
        out[at + 1] = (byte) crc;
        out[at + 2] = (byte) (crc >>> 8);
        out[at + 3] = (byte) (crc >>> 16);
        out[at + 4] = (byte) (crc >>> 24);
    }

    /** The value of the field whose tag is at {@code at}. */
    static int read(byte[] b, int at) {
        return (b[at + 1] & 0xFF) | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF) << 16 | (b[at + 4] & 0xFF) << 24;
    }

    /** {@code envelope} (encoded without a check) with its check appended. */
    static byte[] seal(byte[] envelope) {
        byte[] out = java.util.Arrays.copyOf(envelope, envelope.length + FIELD_BYTES);
        write(out, envelope.length, crc(envelope, -1));
        return out;
    }

    /**
     * The verdict on {@code b} given where the skim found the field: {@code at} its tag's offset
     * (-1: no field), {@code malformed} when there were two or it had the wrong wire type.
     */
    static Verdict verify(byte[] b, int at, boolean malformed) {
        if (malformed) {
            return Verdict.BAD;
        }
        if (at < 0) {
            return Verdict.MISSING;
        }
        return read(b, at) == crc(b, at) ? Verdict.OK : Verdict.BAD;
    }
}

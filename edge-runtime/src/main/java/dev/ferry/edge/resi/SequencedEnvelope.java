package dev.ferry.edge.resi;

import com.google.protobuf.CodedOutputStream;
import dev.ferry.edge.proto.resi.Envelope;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A sequenced envelope in two steps, so that the costly part runs outside the peer link's lock:
 * {@link #body} encodes the envelope's body (an RP message or a Modify) with no seq and no ack,
 * {@link #stamp} puts seq, ack and the integrity check ({@link EnvelopeCheck}) in front of it
 * under the lock. Field order 1, 2, 3, body is the canonical order, so the bytes are exactly what
 * encoding the whole envelope at once would give (strict mode compares copies byte for byte).
 */
final class SequencedEnvelope {
    private static final int SEQ = Envelope.SEQ_FIELD_NUMBER;
    private static final int ACK = Envelope.ACK_FIELD_NUMBER;

    private SequencedEnvelope() { }

    /** The body alone: {@code b} must not carry seq or ack. */
    static byte[] body(Envelope.Builder b) {
        if (b.getSeq() != 0 || b.getAck() != 0) {
            throw new IllegalArgumentException("the body must not carry seq or ack");
        }
        return b.build().toByteArray();
    }

    /**
     * {@code seq} (> 0), {@code ack} (0 = none, omitted as proto3 does) and the check of the
     * whole before {@code body}.
     */
    static byte[] stamp(long seq, long ack, byte[] body) {
        int head = CodedOutputStream.computeUInt64Size(SEQ, seq)
                + (ack == 0 ? 0 : CodedOutputStream.computeUInt64Size(ACK, ack));
        byte[] out = new byte[head + EnvelopeCheck.FIELD_BYTES + body.length];
        CodedOutputStream o = CodedOutputStream.newInstance(out, 0, head);
        try {
            o.writeUInt64(SEQ, seq);
            if (ack != 0) {
                o.writeUInt64(ACK, ack);
            }
            o.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("envelope head", e);
        }
        EnvelopeCheck.write(out, head, EnvelopeCheck.crc(out, head, body));
        System.arraycopy(body, 0, out, head + EnvelopeCheck.FIELD_BYTES, body.length);
        return out;
    }
}

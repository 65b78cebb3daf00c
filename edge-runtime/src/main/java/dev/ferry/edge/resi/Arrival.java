package dev.ferry.edge.resi;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.ferry.edge.proto.resi.Envelope;
import dev.ferry.rp.Message;
import java.util.Arrays;

/**
 * One envelope as it arrived on a transport, known first from a skim of its protobuf wire form
 * (no objects built) and parsed only when needed. A peer link receives every sequenced envelope
 * once per transport; only the first copy of a sequence number needs a full parse: later copies
 * are dropped (permissive) or compared byte for byte (strict) on the raw bytes.
 *
 * <p>{@link #skim} checks the top-level structure (every tag, wire type and length stays inside
 * the bytes: what a truncated or cut envelope breaks) and reads {@code seq} and {@code ack}. It
 * does not look inside the body: the first copy is parsed in full (protobuf refuses a broken
 * body, counted as garbage), later copies are only dropped or compared byte for byte. The skim
 * also verifies the integrity check ({@link EnvelopeCheck}) over the bytes as they arrived:
 * {@link #integrity}. The content compared between copies is everything after the leading
 * {@code seq}, {@code ack} and {@code crc} fields (the piggy-backed ack may differ between a copy
 * and a resend); when those do not lead (another encoder's field order), the envelope is
 * re-encoded without them for the comparison. Not thread-safe; handed from an event loop to the
 * link's lock.
 */
final class Arrival {
    /** Field numbers of the envelope's sequenced bodies (resi.proto). */
    static final int FIELD_RP = 10;
    static final int FIELD_MODIFY = 19;
    static final int FIELD_HANDSHAKE = 11;
    static final int FIELD_RESULT = 18;

    private final byte[] bytes;
    private long seq;
    private long ack;
    private int bodyField;
    private byte[] content;
    private int contentFrom;
    private Envelope envelope;
    private Message message;
    private String bad;
    private int pos; // skim cursor; -1 after a structural error
    private int checkAt = -1; // offset of the integrity check's tag, -1: none
    private boolean checkMalformed;
    private EnvelopeCheck.Verdict integrity = EnvelopeCheck.Verdict.MISSING;
    private boolean judged;

    private Arrival(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The envelope's header and structure, or null when its wire form is broken. */
    static Arrival skim(byte[] b) {
        Arrival a = new Arrival(b);
        return a.skimTop() ? a : null;
    }

    /** An envelope that protobuf parsed although the skim refused it (content compared re-encoded). */
    static Arrival parsed(byte[] b) throws InvalidProtocolBufferException {
        Envelope e = Envelope.parseFrom(b);
        Arrival a = new Arrival(b);
        a.seq = e.getSeq();
        a.ack = e.getAck();
        a.bodyField = switch (e.getBodyCase()) {
            case RP -> FIELD_RP;
            case MODIFY -> FIELD_MODIFY;
            default -> 0;
        };
        a.contentFrom = -1;
        a.envelope = e;
        // the skim refused its structure, so the check cannot be located in the bytes as sent
        a.integrity = e.hasCrc() ? EnvelopeCheck.Verdict.BAD : EnvelopeCheck.Verdict.MISSING;
        return a;
    }

    private boolean skimTop() {
        byte[] b = bytes;
        boolean leading = true;
        while (pos < b.length) {
            int at = pos;
            long tag = varint();
            int field = (int) (tag >>> 3);
            int type = (int) (tag & 7);
            if (pos < 0 || field <= 0) {
                return false;
            }
            if ((field == 1 || field == 2) && type == 0) {
                long v = varint();
                if (pos < 0) {
                    return false;
                }
                if (field == 1) {
                    seq = v;
                } else {
                    ack = v;
                }
                contentFrom = leading ? pos : -1; // after the body: compare a re-encoding
                continue;
            }
            if (field == 3) {
                checkMalformed |= type != 5 || checkAt >= 0;
                checkAt = at;
                if (!skipValue(type)) {
                    return false;
                }
                contentFrom = leading ? pos : -1;
                continue;
            }
            leading = false;
            if (field >= FIELD_RP && field <= FIELD_MODIFY && type == 2) {
                long len = varint();
                if (pos < 0 || len < 0 || len > b.length - pos) {
                    return false;
                }
                bodyField = field;
                pos += (int) len; // the body is parsed (first copy) or compared as bytes (later ones)
            } else if (!skipValue(type)) {
                return false;
            }
        }
        content = contentFrom >= 0 ? b : null;
        integrity = EnvelopeCheck.verify(b, checkAt, checkMalformed);
        return true;
    }

    /** Skips one value of wire type {@code type}; false when it does not fit. */
    private boolean skipValue(int type) {
        switch (type) {
            case 0 -> varint();
            case 1 -> pos = pos + 8 <= bytes.length ? pos + 8 : -1;
            case 5 -> pos = pos + 4 <= bytes.length ? pos + 4 : -1;
            case 2 -> {
                long len = varint();
                pos = pos >= 0 && len >= 0 && len <= bytes.length - pos ? pos + (int) len : -1;
            }
            default -> pos = -1; // groups (3, 4) and 6, 7 are not in resi.proto
        }
        return pos >= 0;
    }

    /** The varint at the cursor, advancing it; cursor -1 when it runs off the end or exceeds 10 bytes. */
    private long varint() {
        long v = 0;
        for (int shift = 0; shift < 70 && pos < bytes.length; shift += 7) {
            byte x = bytes[pos++];
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                return v;
            }
        }
        pos = -1;
        return 0;
    }

    /** What the integrity check says about the bytes as they arrived. */
    EnvelopeCheck.Verdict integrity() {
        return integrity;
    }

    /** True the first time only: the link judges an envelope's integrity once, however it is handled. */
    boolean firstJudgement() {
        if (judged) {
            return false;
        }
        judged = true;
        return true;
    }

    /** True for a handshake (by its skimmed body field). */
    boolean isHandshake() {
        return bodyField == FIELD_HANDSHAKE;
    }

    /** Sequence number (0 = unsequenced control). */
    long seq() {
        return seq;
    }

    /** Cumulative ack carried (0 = none). */
    long ack() {
        return ack;
    }

    /** Bytes of the envelope. */
    int length() {
        return bytes.length;
    }

    /** True for an envelope with only an ack: no sequence number, no body. */
    boolean isBareAck() {
        return seq == 0 && ack != 0 && bodyField == 0;
    }

    /**
     * True for a handshake or a result: they can change what the sequence numbers after them
     * mean (a new session of the peer's, a refusal), so nothing after them is handled first.
     */
    boolean orderSensitive() {
        return bodyField == FIELD_HANDSHAKE || bodyField == FIELD_RESULT;
    }

    /** True for a sequenced RP message or Modify: what the merge window takes. */
    boolean isSequencedBody() {
        return seq != 0 && (bodyField == FIELD_RP || bodyField == FIELD_MODIFY);
    }

    /**
     * The parsed envelope (parsed now if not yet).
     *
     * @throws InvalidProtocolBufferException when protobuf refuses it (the skim is looser: it
     *     does not check UTF-8 or nested messages below the body)
     */
    Envelope envelope() throws InvalidProtocolBufferException {
        if (envelope == null) {
            envelope = Envelope.parseFrom(bytes);
        }
        return envelope;
    }

    /** The envelope parsed by {@link #prepare}; IllegalStateException before. */
    Envelope parsedEnvelope() {
        if (envelope == null) {
            throw new IllegalStateException("not parsed");
        }
        return envelope;
    }

    /**
     * Parses the envelope and, for an RP body, converts the message (both outside the link's lock).
     *
     * @throws InvalidProtocolBufferException as {@link #envelope()}
     */
    void prepare() throws InvalidProtocolBufferException {
        Envelope e = envelope();
        if (e.getBodyCase() == Envelope.BodyCase.RP && message == null && bad == null) {
            try {
                message = ResiCodec.fromProto(e.getRp());
            } catch (IllegalArgumentException ex) {
                bad = ex.getMessage();
            }
        }
    }

    /** The RP message after {@link #prepare}, or null (not RP, or bad: see {@link #badReason}). */
    Message message() {
        return message;
    }

    /** Why the RP message could not be converted, or null. */
    String badReason() {
        return bad;
    }

    /** Whether two copies carry the same content: the same bytes after the seq and ack fields. */
    static boolean sameContent(Arrival a, Arrival b) {
        if (a.seq != b.seq) {
            return false;
        }
        byte[] ca = a.content();
        byte[] cb = b.content();
        if (ca == null || cb == null) {
            return false; // unparseable re-encoding: treat as different
        }
        return Arrays.equals(ca, a.contentFrom, ca.length, cb, b.contentFrom, cb.length);
    }

    private byte[] content() {
        if (content == null) {
            try {
                content = envelope().toBuilder().clearSeq().clearAck().clearCrc().build().toByteArray();
                contentFrom = 0;
            } catch (InvalidProtocolBufferException e) {
                return null;
            }
        }
        return content;
    }
}

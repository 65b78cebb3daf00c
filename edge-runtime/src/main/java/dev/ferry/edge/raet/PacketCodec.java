package dev.ferry.edge.raet;

import java.util.Arrays;

/**
 * Splits a datagram into header, auth block, body and tail (RAET.md section 2), and lays out
 * the bytes for sending. Decoding checks only structure; protection is checked by the session.
 * Never throws on input; each failure is a typed {@link Drop}.
 */
public final class PacketCodec {
    private PacketCodec() { }

    /** A structurally valid packet inside {@code data[0, length)}. */
    public record Frame(Header header, byte[] data, int length) {
        public int authOffset() {
            return header.hl();
        }

        public int bodyOffset() {
            return header.hl() + header.nl();
        }

        public int tailOffset() {
            return bodyOffset() + header.bl();
        }

        /** A copy of the body as carried (ciphertext for AEAD packets). */
        public byte[] body() {
            return Arrays.copyOfRange(data, bodyOffset(), tailOffset());
        }
    }

    /** A frame or the reason for dropping the datagram. */
    public record Decoded(Frame frame, Drop drop) {
        public boolean ok() {
            return drop == null;
        }
    }

    public static Decoded decode(byte[] d, int len) {
        if (d == null || len < 0 || len > d.length) {
            return new Decoded(null, Drop.LENGTH_MISMATCH);
        }
        HeaderCodec.Result r = HeaderCodec.parse(d, len);
        if (!r.ok()) {
            return new Decoded(null, r.drop());
        }
        Header h = r.header();
        long total = (long) h.hl() + h.nl() + h.bl() + h.tl();
        if (total != len) {
            return new Decoded(null, Drop.LENGTH_MISMATCH);
        }
        return new Decoded(new Frame(h, d, len), null);
    }

    /**
     * The datagram for {@code h} (its nk, bk, tk set; lengths filled here) with the body copied in
     * and the auth block and tail zeroed, ready for {@link SecurityBlocks} to fill. For AEAD
     * packets the body is left empty too (the cipher writes it).
     */
    public static byte[] layout(Header h, byte[] body, int off, int len, boolean copyBody) {
        int nl = SecurityBlocks.authLength(h.nk());
        int tl = SecurityBlocks.tailLength(h.tk());
        int bk = len == 0 ? SecurityBlocks.BK_NONE : h.bk() == 0 ? SecurityBlocks.BK_PACKED : h.bk();
        byte[] head = HeaderCodec.encode(h.withBlocks(h.nk(), nl, bk, len, h.tk(), tl));
        byte[] d = new byte[head.length + nl + len + tl];
        System.arraycopy(head, 0, d, 0, head.length);
        if (copyBody && len > 0) {
            System.arraycopy(body, off, d, head.length + nl, len);
        }
        return d;
    }
}

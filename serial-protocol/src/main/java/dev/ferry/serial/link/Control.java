package dev.ferry.serial.link;

/**
 * The link control byte (PROTOCOL.md 3.2), modulo 8: I, S (RR/RNR/REJ) or U frames, or
 * {@link Kind#INVALID} for any byte that matches none. Immutable; {@link #decode} accepts every
 * byte and {@link #encode} gives back the same byte for every valid control.
 */
public record Control(Kind kind, Supervisory supervisory, Unnumbered unnumbered, int ns, int nr,
                      boolean pf, int raw) {

    /** The three frame kinds, plus INVALID. */
    public enum Kind { I, S, U, INVALID }

    /** Supervisory functions with their bits 3..2. */
    public enum Supervisory {
        RR(0), RNR(1), REJ(2);

        final int bits;

        Supervisory(int bits) {
            this.bits = bits;
        }
    }

    /** Unnumbered functions with their byte (P/F clear). */
    public enum Unnumbered {
        SNRM(0x83), DISC(0x43), UA(0x63), DM(0x0F), FRMR(0x87), UI(0x03), TEST(0xE3),
        /** Unnumbered poll (version 2.1, PROTOCOL.md 3.8): to FF, polls the stations listed, in turn. */
        UP(0x23);

        final int code;

        Unnumbered(int code) {
            this.code = code;
        }

        /** The control byte with P/F clear. */
        public int code() {
            return code;
        }
    }

    /** The P/F bit. */
    public static final int PF = 0x10;

    private static final Control[] DECODED = new Control[256];

    static {
        for (int b = 0; b < 256; b++) {
            DECODED[b] = parse(b);
        }
    }

    /** An I-frame control. */
    public static Control i(int ns, int nr, boolean p) {
        return decode(((nr & 7) << 5) | (p ? PF : 0) | ((ns & 7) << 1));
    }

    /** An S-frame control. */
    public static Control s(Supervisory s, int nr, boolean pf) {
        return decode(((nr & 7) << 5) | (pf ? PF : 0) | (s.bits << 2) | 1);
    }

    /** A U-frame control. */
    public static Control u(Unnumbered u, boolean pf) {
        return decode(u.code | (pf ? PF : 0));
    }

    /** Decodes any byte (only the low 8 bits are used); never throws. */
    public static Control decode(int b) {
        return DECODED[b & 0xFF];
    }

    private static Control parse(int b) {
        boolean pf = (b & PF) != 0;
        if ((b & 1) == 0) {
            return new Control(Kind.I, null, null, (b >>> 1) & 7, b >>> 5, pf, b);
        }
        if ((b & 3) == 1) {
            int bits = (b >>> 2) & 3;
            for (Supervisory s : Supervisory.values()) {
                if (s.bits == bits) {
                    return new Control(Kind.S, s, null, 0, b >>> 5, pf, b);
                }
            }
            return invalid(b);
        }
        for (Unnumbered u : Unnumbered.values()) {
            if (u.code == (b & ~PF)) {
                return new Control(Kind.U, null, u, 0, 0, pf, b);
            }
        }
        return invalid(b);
    }

    private static Control invalid(int b) {
        return new Control(Kind.INVALID, null, null, 0, 0, (b & PF) != 0, b);
    }

    /** The control byte. */
    public int encode() {
        return raw;
    }

    public boolean isI() {
        return kind == Kind.I;
    }

    public boolean is(Supervisory s) {
        return kind == Kind.S && supervisory == s;
    }

    public boolean is(Unnumbered u) {
        return kind == Kind.U && unnumbered == u;
    }

    /** True for I and S frames, which carry N(R). */
    public boolean hasNr() {
        return kind == Kind.I || kind == Kind.S;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case I -> "I(ns=" + ns + ",nr=" + nr + (pf ? ",P/F" : "") + ")";
            case S -> supervisory + "(nr=" + nr + (pf ? ",P/F" : "") + ")";
            case U -> unnumbered + (pf ? "(P/F)" : "");
            case INVALID -> String.format("INVALID(%02x)", raw);
        };
    }
}

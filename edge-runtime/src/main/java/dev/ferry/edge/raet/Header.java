package dev.ferry.edge.raet;

/**
 * A RAET packet header (RAET.md section 2). Field names are the seed's two-letter keys. Flags
 * cf, mf, bf, pf and af live packed in {@link #fg()}: bits (0, 0, af, pf, 0, bf, mf, cf), most
 * significant first. Lengths (hl, nl, bl, tl) are filled in by the codec on encoding.
 */
public record Header(int hk, int hl, int vn, long sd, long dd, long si, long ti, int sk, int pk, long oi,
                     long dt, int sn, int sc, int nk, int nl, int bk, int bl, int tk, int tl, int fg) {
    public static final int CF = 0x01;
    public static final int MF = 0x02;
    public static final int BF = 0x04;
    public static final int PF = 0x10;
    public static final int AF = 0x20;
    /** Bits that must be zero. */
    public static final int RESERVED = 0xC8;

    /** Protocol version written and accepted. */
    public static final int VERSION = 1;

    /** A header with defaults (vn 1, sc 1, all else 0) for the given transaction coordinates. */
    public static Header of(long si, long ti, ServiceKind sk, PacketKind pk) {
        return new Header(0, 0, VERSION, 0, 0, si, ti, sk.code(), pk.code(), 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0);
    }

    public boolean flag(int bit) {
        return (fg & bit) != 0;
    }

    public Header withDevices(long sd, long dd) {
        return new Header(hk, hl, vn, sd, dd, si, ti, sk, pk, oi, dt, sn, sc, nk, nl, bk, bl, tk, tl, fg);
    }

    public Header withOrder(long oi, int sn, int sc) {
        return new Header(hk, hl, vn, sd, dd, si, ti, sk, pk, oi, dt, sn, sc, nk, nl, bk, bl, tk, tl, fg);
    }

    public Header withTime(long dt) {
        return new Header(hk, hl, vn, sd, dd, si, ti, sk, pk, oi, dt, sn, sc, nk, nl, bk, bl, tk, tl, fg);
    }

    public Header withFlags(int fg) {
        return new Header(hk, hl, vn, sd, dd, si, ti, sk, pk, oi, dt, sn, sc, nk, nl, bk, bl, tk, tl, fg);
    }

    /** Sets the kinds and lengths of the three blocks after the header. */
    public Header withBlocks(int nk, int nl, int bk, int bl, int tk, int tl) {
        return new Header(hk, hl, vn, sd, dd, si, ti, sk, pk, oi, dt, sn, sc, nk, nl, bk, bl, tk, tl, fg);
    }

    public Header withHl(int hl) {
        return new Header(hk, hl, vn, sd, dd, si, ti, sk, pk, oi, dt, sn, sc, nk, nl, bk, bl, tk, tl, fg);
    }
}

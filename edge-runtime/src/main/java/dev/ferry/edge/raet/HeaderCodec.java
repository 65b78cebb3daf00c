package dev.ferry.edge.raet;

import java.nio.charset.StandardCharsets;

/**
 * Encodes and strictly parses the ASCII JSON header (RAET.md section 2). The parser is a bounded
 * state machine over at most {@link #MAX_HEADER} bytes: one flat object, no whitespace, only the
 * 25 known keys, each at most once, integer values (no sign, no leading zero, at most 16 digits)
 * except {@code fg} (two lower-case hex digits), then CRLFCRLF. Anything else is a typed
 * {@link Drop}; it never throws and allocates only the result.
 */
public final class HeaderCodec {
    /** Longest header, terminator included. */
    public static final int MAX_HEADER = 512;
    /** Largest integer value (2^53 - 1, exact in every JSON implementation). */
    public static final long MAX_INT = (1L << 53) - 1;

    static final String[] KEYS = {"hk", "hl", "vn", "sd", "dd", "cf", "mf", "si", "ti", "sk", "pk", "bf", "oi",
        "dt", "sn", "sc", "pf", "af", "nk", "nl", "bk", "bl", "tk", "tl", "fg"};
    private static final int[] FLAG_OF_KEY = new int[KEYS.length];
    /** Indexes of the fields held as int in {@link Header}. */
    private static final int[] INT_FIELDS = {0, 1, 2, 9, 10, 14, 15, 18, 19, 20, 21, 22, 23};
    /** Bit set of the required keys hk, hl, vn, si, ti, sk, pk (by index in KEYS). */
    private static final int REQUIRED = 1 | 1 << 1 | 1 << 2 | 1 << 7 | 1 << 8 | 1 << 9 | 1 << 10;

    static {
        FLAG_OF_KEY[index("cf")] = Header.CF;
        FLAG_OF_KEY[index("mf")] = Header.MF;
        FLAG_OF_KEY[index("bf")] = Header.BF;
        FLAG_OF_KEY[index("pf")] = Header.PF;
        FLAG_OF_KEY[index("af")] = Header.AF;
    }

    private HeaderCodec() { }

    /** Outcome of a parse: a header and its length in bytes (terminator included), or a drop. */
    public record Result(Header header, int length, Drop drop) {
        static Result fail(Drop d) {
            return new Result(null, 0, d);
        }

        public boolean ok() {
            return drop == null;
        }
    }

    /**
     * The header bytes for {@code h}, terminator included, with {@code hl} set to their length.
     * Fields equal to their default are omitted, except hk, hl, vn, si, ti, sk and pk; flags are
     * written only inside {@code fg}.
     */
    public static byte[] encode(Header h) {
        byte[] once = text(h.withHl(100)).getBytes(StandardCharsets.US_ASCII);
        if (h.hk() == 0 && once.length >= 100 && once.length <= 999) {
            // hl's digits follow {"hk":0,"hl": (13 bytes); three digits either way
            once[13] = (byte) ('0' + once.length / 100);
            once[14] = (byte) ('0' + once.length / 10 % 10);
            once[15] = (byte) ('0' + once.length % 10);
            return once;
        }
        int hl = 64;
        for (int i = 0; i < 4; i++) {
            String s = text(h.withHl(hl));
            if (s.length() == hl) {
                return s.getBytes(StandardCharsets.US_ASCII);
            }
            hl = s.length();
        }
        throw new IllegalStateException("header length does not converge");
    }

    private static String text(Header h) {
        StringBuilder b = new StringBuilder(160).append('{');
        num(b, "hk", h.hk(), true);
        num(b, "hl", h.hl(), true);
        num(b, "vn", h.vn(), true);
        num(b, "sd", h.sd(), false);
        num(b, "dd", h.dd(), false);
        num(b, "si", h.si(), true);
        num(b, "ti", h.ti(), true);
        num(b, "sk", h.sk(), true);
        num(b, "pk", h.pk(), true);
        num(b, "oi", h.oi(), false);
        num(b, "dt", h.dt(), false);
        num(b, "sn", h.sn(), false);
        if (h.sc() != 1) {
            num(b, "sc", h.sc(), true);
        }
        num(b, "nk", h.nk(), false);
        num(b, "nl", h.nl(), false);
        num(b, "bk", h.bk(), false);
        num(b, "bl", h.bl(), false);
        num(b, "tk", h.tk(), false);
        num(b, "tl", h.tl(), false);
        if (h.fg() != 0) {
            b.append("\"fg\":\"").append(Character.forDigit(h.fg() >> 4 & 15, 16))
                    .append(Character.forDigit(h.fg() & 15, 16)).append("\",");
        }
        b.setLength(b.length() - 1);
        return b.append("}\r\n\r\n").toString();
    }

    private static void num(StringBuilder b, String key, long v, boolean always) {
        if (v != 0 || always) {
            b.append('"').append(key).append("\":").append(v).append(',');
        }
    }

    /** Parses the header at the start of {@code d[0, len)}. */
    public static Result parse(byte[] d, int len) {
        int limit = Math.min(len, MAX_HEADER);
        int end = -1;
        for (int i = 0; i + 3 < limit; i++) {
            int c = d[i] & 0xFF;
            if (c == '\r' && d[i + 1] == '\n' && d[i + 2] == '\r' && d[i + 3] == '\n') {
                end = i;
                break;
            }
            if (c < 0x20 || c > 0x7E) {
                return Result.fail(Drop.NOT_ASCII);
            }
        }
        if (end < 0) {
            return Result.fail(len >= MAX_HEADER ? Drop.HEADER_TOO_LONG : Drop.NO_TERMINATOR);
        }
        long[] v = new long[KEYS.length];
        int seen = 0;
        int p = 0;
        if (end < 2 || d[p++] != '{' || d[end - 1] != '}') {
            return Result.fail(Drop.BAD_SYNTAX);
        }
        int close = end - 1;
        while (true) {
            if (p + 5 > close || d[p] != '"' || d[p + 3] != '"' || d[p + 4] != ':') {
                return Result.fail(Drop.BAD_SYNTAX);
            }
            int k = key(d[p + 1], d[p + 2]);
            if (k < 0) {
                return Result.fail(Drop.UNKNOWN_FIELD);
            }
            if ((seen & 1 << k) != 0) {
                return Result.fail(Drop.DUPLICATE_FIELD);
            }
            seen |= 1 << k;
            p += 5;
            boolean isFg = k == 24;
            if (p < close && d[p] == '"') {
                if (!isFg) {
                    return Result.fail(Drop.BAD_TYPE);
                }
                if (p + 4 > close || d[p + 3] != '"') {
                    return Result.fail(Drop.BAD_SYNTAX);
                }
                int hi = hex(d[p + 1]);
                int lo = hex(d[p + 2]);
                if (hi < 0 || lo < 0) {
                    return Result.fail(Drop.BAD_VALUE);
                }
                v[k] = hi << 4 | lo;
                p += 4;
            } else {
                if (isFg) {
                    return Result.fail(Drop.BAD_TYPE);
                }
                int start = p;
                long n = 0;
                while (p < close && d[p] >= '0' && d[p] <= '9') {
                    if (p - start >= 16) {
                        return Result.fail(Drop.BAD_VALUE);
                    }
                    n = n * 10 + (d[p] - '0');
                    p++;
                }
                if (p == start) {
                    return Result.fail(p < close && (d[p] == 't' || d[p] == 'f' || d[p] == 'n' || d[p] == '[' || d[p] == '{')
                            ? Drop.BAD_TYPE : Drop.BAD_SYNTAX);
                }
                if (d[start] == '0' && p - start > 1) {
                    return Result.fail(Drop.BAD_SYNTAX);
                }
                if (n > MAX_INT) {
                    return Result.fail(Drop.BAD_VALUE);
                }
                v[k] = n;
            }
            if (p == close) {
                break;
            }
            if (d[p] != ',') {
                return Result.fail(Drop.BAD_SYNTAX);
            }
            p++;
        }
        return build(v, seen, end + 4);
    }

    private static Result build(long[] v, int seen, int length) {
        if ((seen & REQUIRED) != REQUIRED) {
            return Result.fail(Drop.MISSING_FIELD);
        }
        int fgIndex = 24;
        boolean hasFg = (seen & 1 << fgIndex) != 0;
        int fg = (int) v[fgIndex];
        for (int k = 0; k < KEYS.length; k++) {
            int bit = FLAG_OF_KEY[k];
            if (bit == 0 || (seen & 1 << k) == 0) {
                continue;
            }
            if (v[k] > 1) {
                return Result.fail(Drop.BAD_VALUE);
            }
            if (hasFg && ((fg & bit) != 0) != (v[k] == 1)) {
                return Result.fail(Drop.BAD_VALUE);
            }
            if (!hasFg && v[k] == 1) {
                fg |= bit;
            }
        }
        for (int k : INT_FIELDS) {
            v[k] = Math.min(v[k], Integer.MAX_VALUE); // still out of range, but no wrap-around
        }
        long sc = (seen & 1 << 15) == 0 ? 1 : v[15];
        Header h = new Header((int) v[0], (int) v[1], (int) v[2], v[3], v[4],
                v[7], v[8], (int) v[9], (int) v[10], v[12], v[13],
                (int) Math.min(v[14], Integer.MAX_VALUE), (int) Math.min(sc, Integer.MAX_VALUE),
                (int) v[18], (int) Math.min(v[19], Integer.MAX_VALUE),
                (int) v[20], (int) Math.min(v[21], Integer.MAX_VALUE),
                (int) v[22], (int) Math.min(v[23], Integer.MAX_VALUE), fg);
        Drop bad = check(h, v[1], v[0], v[2], length);
        return bad == null ? new Result(h, length, null) : Result.fail(bad);
    }

    /** Ranges and agreements of one header (RAET.md 2.3). */
    private static Drop check(Header h, long hl, long hk, long vn, int length) {
        if (hk != 0 || hl != length) {
            return Drop.BAD_VALUE;
        }
        if (vn != Header.VERSION) {
            return Drop.UNSUPPORTED;
        }
        if ((h.fg() & Header.RESERVED) != 0 || h.sd() > 0xFFFF_FFFFL || h.dd() > 0xFFFF_FFFFL
                || h.ti() > 0xFFFF_FFFFL || ServiceKind.of(h.sk()) == null || PacketKind.of(h.pk()) == null) {
            return Drop.BAD_VALUE;
        }
        if (h.sc() < 1 || h.sc() > 65535 || h.sn() >= h.sc()) {
            return Drop.BAD_VALUE;
        }
        if (h.nl() != SecurityBlocks.authLength(h.nk()) || h.tl() != SecurityBlocks.tailLength(h.tk())) {
            return Drop.BAD_VALUE;
        }
        if (h.bk() > 2 || (h.bk() == 0) != (h.bl() == 0) || h.bl() > 65535) {
            return Drop.BAD_VALUE;
        }
        if (h.flag(Header.MF)) {
            return Drop.UNSUPPORTED;
        }
        return null;
    }

    private static int index(String key) {
        for (int i = 0; i < KEYS.length; i++) {
            if (KEYS[i].equals(key)) {
                return i;
            }
        }
        throw new IllegalArgumentException(key);
    }

    private static int key(byte a, byte b) {
        for (int i = 0; i < KEYS.length; i++) {
            if (KEYS[i].charAt(0) == a && KEYS[i].charAt(1) == b) {
                return i;
            }
        }
        return -1;
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    }
}

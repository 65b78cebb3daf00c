package dev.ferry.serial.header;

import dev.ferry.rp.BodyType;
import dev.ferry.rp.DecodeError;
import dev.ferry.rp.Decoded;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The version 2 header codec (PROTOCOL.md 8): one flags byte, the paths in one of three forms,
 * optional flow and status, then the body.
 *
 * <pre>
 *   flags   bits 2..0 verb (GET 0 .. ERROR 6), bit 3 C (stream continues: E0), bit 4 N (from present),
 *           bits 6..5 type (00 none/o, 01 j, 10 t, 11 media type follows), bit 7 O (options byte follows)
 *   to      path field
 *   from    path field, when N (a request always has one; a final reply may leave it implied)
 *   options bit 0 flow (1 byte 0..100 follows), bit 1 status (2 bytes big-endian 100..999 follow)
 *   type    the media type, NUL-terminated, when the type bits are 11
 *   body    the rest
 *
 *   path field: 2F ... 00  a literal path ("/..." then NUL)
 *               01..1F     entry 1..31 of the station's resource table
 *               80..FF     the exchange path /#x/N, N = the byte's low 7 bits
 * </pre>
 *
 * <p>A reply without {@code from} decodes with {@link #IMPLIED_FROM}; the link's exchange table
 * ({@code ExchangeIds}) names it. Immutable and thread-safe.
 */
public final class BinaryHeaderCodec implements HeaderCodec {
    /** The {@code from} of a decoded final reply that left it implied. */
    public static final Path IMPLIED_FROM = Path.of("/#x");
    /** Most entries a resource table can have (index bytes 01..1F). */
    public static final int MAX_RESOURCES = 31;
    /** Most exchange ids (exchange path bytes 80..FF). */
    public static final int MAX_EXCHANGES = 128;
    static final int C = 0x08;
    static final int N = 0x10;
    static final int O = 0x80;
    static final int TYPE_SHIFT = 5;
    static final int OPT_FLOW = 0x01;
    static final int OPT_STATUS = 0x02;
    private static final String EXCHANGE_PREFIX = "/#x/";
    private static final Verb[] VERBS = Verb.values();

    private final List<Path> resources;
    private final Map<Path, Integer> index = new HashMap<>();

    /** A codec without a resource table: every station path is written literally. */
    public BinaryHeaderCodec() {
        this(List.of());
    }

    /** A codec whose resource table (entries 1..31) is {@code resources}, in order. */
    public BinaryHeaderCodec(List<Path> resources) {
        this.resources = List.copyOf(resources.subList(0, Math.min(resources.size(), MAX_RESOURCES)));
        for (int i = 0; i < this.resources.size(); i++) {
            index.putIfAbsent(this.resources.get(i), i + 1);
        }
    }

    @Override
    public int version() {
        return 2;
    }

    /** The resource table this codec writes and reads index forms with. */
    public List<Path> resources() {
        return resources;
    }

    /** The exchange path {@code /#x/id}. */
    public static Path exchangePath(int id) {
        if (id < 0 || id >= MAX_EXCHANGES) {
            throw new IllegalArgumentException("exchange id out of range: " + id);
        }
        return Path.of(EXCHANGE_PREFIX + id);
    }

    /** The id of an exchange path {@code /#x/N} in canonical form, or -1. */
    public static int exchangeId(Path p) {
        String s = p.toString();
        if (!s.startsWith(EXCHANGE_PREFIX) || s.length() > EXCHANGE_PREFIX.length() + 3
                || s.length() == EXCHANGE_PREFIX.length()) {
            return -1;
        }
        int v = 0;
        for (int i = EXCHANGE_PREFIX.length(); i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9' || (i == EXCHANGE_PREFIX.length() && c == '0' && s.length() > i + 1)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v < MAX_EXCHANGES ? v : -1;
    }

    @Override
    public byte[] encode(Message m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + m.bodyLength());
        boolean finalReply = m.verb().hasStatus() && m.eof();
        byte[] body = m.body();
        BodyType t = body.length == 0 ? null : m.bodyType().orElse(BodyType.OCTETS);
        int type = t == null || t.equals(BodyType.OCTETS) ? 0 : t.equals(BodyType.JSON) ? 1
                : t.equals(BodyType.TEXT) ? 2 : 3;
        boolean status = m.verb().hasStatus() && m.status() != m.verb().defaultStatus();
        boolean flow = m.flow().isPresent();
        int flags = m.verb().ordinal() | (m.eof() ? 0 : C) | (finalReply ? 0 : N) | (type << TYPE_SHIFT)
                | (status || flow ? O : 0);
        out.write(flags);
        writePath(out, m.to());
        if (!finalReply) {
            writePath(out, m.from());
        }
        if (status || flow) {
            out.write((flow ? OPT_FLOW : 0) | (status ? OPT_STATUS : 0));
            if (flow) {
                out.write(m.flow().getAsInt());
            }
            if (status) {
                out.write(m.status() >>> 8);
                out.write(m.status());
            }
        }
        if (type == 3) {
            out.writeBytes(t.token().getBytes(StandardCharsets.ISO_8859_1));
            out.write(0);
        }
        out.writeBytes(body);
        return out.toByteArray();
    }

    private void writePath(ByteArrayOutputStream out, Path p) {
        int x = exchangeId(p);
        if (x >= 0) {
            out.write(0x80 | x);
            return;
        }
        Integer i = index.get(p);
        if (i != null) {
            out.write(i);
            return;
        }
        out.writeBytes(p.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(0);
    }

    @Override
    public Decoded<Message> decode(byte[] msg, int off, int len) {
        return new Reader(msg, off, off + len).message();
    }

    /** One decoding pass; a failure is kept in {@code error} and ends the pass. */
    private final class Reader {
        private final byte[] b;
        private final int end;
        private int pos;
        private DecodeError error;

        Reader(byte[] b, int off, int end) {
            this.b = b;
            this.pos = off;
            this.end = end;
        }

        Decoded<Message> message() {
            if (pos >= end) {
                return Decoded.error(DecodeError.BAD_HEADER);
            }
            int flags = b[pos++] & 0xFF;
            if ((flags & 7) == 7) {
                return Decoded.error(DecodeError.UNKNOWN_VERB);
            }
            Verb verb = VERBS[flags & 7];
            Path to = path();
            Path from = (flags & N) != 0 ? path() : IMPLIED_FROM;
            if (error == null && (flags & N) == 0 && !(verb.hasStatus() && (flags & C) == 0)) {
                error = DecodeError.BAD_HEADER;                 // only a final reply may omit from
            }
            int flow = -1;
            int status = 0;
            if (error == null && (flags & O) != 0) {
                int opts = u8();
                if ((opts & ~(OPT_FLOW | OPT_STATUS)) != 0 || opts == 0) {
                    error = DecodeError.BAD_HEADER;
                }
                if ((opts & OPT_FLOW) != 0 && (flow = u8()) > 100) {
                    error = DecodeError.BAD_HEADER;
                }
                if ((opts & OPT_STATUS) != 0) {
                    status = (u8() << 8) | u8();
                    if (!verb.hasStatus() || status < 100 || status > 999) {
                        error = DecodeError.BAD_HEADER;
                    }
                }
            }
            int typeBits = (flags >>> TYPE_SHIFT) & 3;
            BodyType type = switch (typeBits) {
                case 1 -> BodyType.JSON;
                case 2 -> BodyType.TEXT;
                case 3 -> mediaType();
                default -> BodyType.OCTETS;
            };
            if (error != null) {
                return Decoded.error(error);
            }
            int bodyLen = end - pos;
            if (bodyLen == 0 && typeBits != 0) {
                return Decoded.error(DecodeError.BAD_HEADER);
            }
            byte[] body = new byte[bodyLen];
            System.arraycopy(b, pos, body, 0, bodyLen);
            return Decoded.ok(Message.builder(verb, to, from).eof((flags & C) == 0).flow(flow).status(status)
                    .body(type, body).build());
        }

        private int u8() {
            if (pos >= end) {
                error = error == null ? DecodeError.BAD_HEADER : error;
                return 0;
            }
            return b[pos++] & 0xFF;
        }

        /** Bytes up to the next NUL (consumed), or null when there is none. */
        private String zstring() {
            for (int i = pos; i < end; i++) {
                if (b[i] == 0) {
                    String s = new String(b, pos, i - pos, StandardCharsets.ISO_8859_1);
                    pos = i + 1;
                    return s;
                }
            }
            return null;
        }

        private Path path() {
            if (error != null) {
                return IMPLIED_FROM;
            }
            if (pos >= end) {
                error = DecodeError.BAD_HEADER;
                return IMPLIED_FROM;
            }
            int p = b[pos] & 0xFF;
            if (p >= 0x80) {
                pos++;
                return exchangePath(p & 0x7F);
            }
            if (p >= 1 && p <= MAX_RESOURCES) {
                pos++;
                if (p > resources.size()) {
                    error = DecodeError.BAD_PATH;
                    return IMPLIED_FROM;
                }
                return resources.get(p - 1);
            }
            if (p != '/') {
                error = DecodeError.BAD_PATH;
                return IMPLIED_FROM;
            }
            String s = zstring();
            if (s == null) {
                error = DecodeError.BAD_HEADER;
                return IMPLIED_FROM;
            }
            Decoded<Path> d = Path.parse(s);
            if (!d.isOk()) {
                error = DecodeError.BAD_PATH;
                return IMPLIED_FROM;
            }
            return d.value();
        }

        private BodyType mediaType() {
            if (error != null) {
                return null;
            }
            String s = zstring();
            BodyType t = s == null ? null : BodyType.fromToken(s).orElse(null);
            if (t == null || t.isShortForm()) {
                error = DecodeError.BAD_HEADER;
            }
            return t;
        }
    }
}

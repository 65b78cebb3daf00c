package dev.ferry.serial.header;

import dev.ferry.rp.BodyType;
import dev.ferry.rp.DecodeError;
import dev.ferry.rp.Decoded;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The version 1 header codec: RP messages as LF-separated text (PROTOCOL.md 5). The encoder writes the canonical form: fields
 * in table order, defaults omitted, {@code L} whenever the body is non-empty, no blank line for an
 * empty body. The decoder is strict and never throws: it returns the message or one of
 * BAD_HEADER, UNKNOWN_VERB, BAD_PATH. Lower-case extension keys are ignored. Headers longer than
 * the configured limit (default 1024 bytes, blank line included) are BAD_HEADER. Thread-safe.
 */
public final class TextHeaderCodec implements HeaderCodec {
    private static final byte LF = '\n';

    private final int maxHeader;

    /** A codec with the default 1024-byte header limit. */
    public TextHeaderCodec() {
        this(DEFAULT_MAX_HEADER);
    }

    /** A codec refusing headers longer than {@code maxHeader} bytes. */
    public TextHeaderCodec(int maxHeader) {
        if (maxHeader < 8) {
            throw new IllegalArgumentException("header limit too small: " + maxHeader);
        }
        this.maxHeader = maxHeader;
    }

    public int maxHeader() {
        return maxHeader;
    }

    @Override
    public int version() {
        return 1;
    }

    /** The canonical encoding of {@code m}. */
    @Override
    public byte[] encode(Message m) {
        StringBuilder h = new StringBuilder(64);
        h.append(m.verb().token()).append(' ').append(m.to()).append('\n').append(m.from()).append('\n');
        if (!m.eof()) {
            h.append("E0\n");
        }
        if (m.flow().isPresent()) {
            h.append('F').append(m.flow().getAsInt()).append('\n');
        }
        if (m.verb().hasStatus() && m.status() != m.verb().defaultStatus()) {
            h.append('S').append(m.status()).append('\n');
        }
        byte[] body = m.body();
        if (body.length > 0) {
            BodyType t = m.bodyType().orElse(BodyType.OCTETS);
            if (!t.equals(BodyType.OCTETS)) {
                h.append('T').append(t.token()).append('\n');
            }
            h.append('L').append(body.length).append('\n').append('\n');
        }
        byte[] head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length + body.length);
        out.writeBytes(head);
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** Decodes {@code msg[off, off+len)}; never throws for any content. */
    @Override
    public Decoded<Message> decode(byte[] msg, int off, int len) {
        return new Parser(msg, off, len, maxHeader).parse();
    }

    /** One decoding pass over one message. */
    private static final class Parser {
        private final byte[] b;
        private final int start;
        private final int end;
        private final int headerEnd;
        private int pos;

        Parser(byte[] b, int off, int len, int maxHeader) {
            this.b = b;
            this.start = off;
            this.end = off + len;
            this.headerEnd = off + Math.min(len, maxHeader);
            this.pos = off;
        }

        Decoded<Message> parse() {
            if (end == start) {
                return Decoded.error(DecodeError.BAD_HEADER);
            }
            int lf = nextLine();
            if (lf < 0) {
                return Decoded.error(DecodeError.BAD_HEADER);
            }
            int sp = indexOf((byte) ' ', pos, lf);
            if (sp < 0) {
                return Decoded.error(DecodeError.BAD_HEADER);   // no "verb SP to" structure
            }
            Optional<Verb> verb = Verb.fromToken(text(pos, sp));
            if (verb.isEmpty()) {
                return Decoded.error(DecodeError.UNKNOWN_VERB);
            }
            Decoded<Path> to = Path.parse(text(sp + 1, lf));
            pos = lf + 1;
            if (!to.isOk()) {
                return Decoded.error(DecodeError.BAD_PATH);
            }
            lf = nextLine();
            if (lf < 0) {
                return Decoded.error(DecodeError.BAD_HEADER);
            }
            Decoded<Path> from = Path.parse(text(pos, lf));
            pos = lf + 1;
            if (!from.isOk()) {
                return Decoded.error(DecodeError.BAD_PATH);
            }
            return fields(verb.get(), to.value(), from.value());
        }

        private Decoded<Message> fields(Verb verb, Path to, Path from) {
            int eof = -1;
            int flow = -1;
            int status = -1;
            BodyType type = null;
            int length = -1;
            int bodyStart = end;
            while (pos < end) {
                int lf = nextLine();
                if (lf < 0) {
                    return Decoded.error(DecodeError.BAD_HEADER);
                }
                if (lf == pos) {
                    bodyStart = lf + 1;
                    break;
                }
                char key = (char) (b[pos] & 0xFF);
                String value = text(pos + 1, lf);
                pos = lf + 1;
                if (key >= 'a' && key <= 'z') {
                    continue;                                   // extension: ignored
                }
                switch (key) {
                    case 'E' -> {
                        if (eof >= 0 || !(value.equals("0") || value.equals("1"))) {
                            return Decoded.error(DecodeError.BAD_HEADER);
                        }
                        eof = value.charAt(0) - '0';
                    }
                    case 'F' -> {
                        if (flow >= 0 || (flow = number(value)) < 0 || flow > 100) {
                            return Decoded.error(DecodeError.BAD_HEADER);
                        }
                    }
                    case 'S' -> {
                        if (status >= 0 || !verb.hasStatus() || (status = number(value)) < 100 || status > 999) {
                            return Decoded.error(DecodeError.BAD_HEADER);
                        }
                    }
                    case 'T' -> {
                        if (type != null) {
                            return Decoded.error(DecodeError.BAD_HEADER);
                        }
                        type = BodyType.fromToken(value).orElse(null);
                        if (type == null) {
                            return Decoded.error(DecodeError.BAD_HEADER);
                        }
                    }
                    case 'L' -> {
                        if (length >= 0 || (length = number(value)) < 0) {
                            return Decoded.error(DecodeError.BAD_HEADER);
                        }
                    }
                    default -> {
                        return Decoded.error(DecodeError.BAD_HEADER);
                    }
                }
            }
            int bodyLen = end - bodyStart;
            if (bodyLen == 0 && (type != null || length >= 0)) {
                return Decoded.error(DecodeError.BAD_HEADER);
            }
            if (length >= 0 && length != bodyLen) {
                return Decoded.error(DecodeError.BAD_HEADER);
            }
            byte[] body = new byte[bodyLen];
            System.arraycopy(b, bodyStart, body, 0, bodyLen);
            return Decoded.ok(Message.builder(verb, to, from).eof(eof != 0).flow(flow)
                    .status(Math.max(status, 0)).body(type, body).build());
        }

        /** Index of the LF ending the line at pos, within the header limit; -1 if none. */
        private int nextLine() {
            return indexOf(LF, pos, headerEnd);
        }

        private int indexOf(byte x, int from, int to) {
            for (int i = from; i < to; i++) {
                if (b[i] == x) {
                    return i;
                }
            }
            return -1;
        }

        private String text(int from, int to) {
            return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        }

        /** A decimal without leading zeros (at most 9 digits), or -1. */
        private static int number(String s) {
            if (s.isEmpty() || s.length() > 9 || (s.length() > 1 && s.charAt(0) == '0')) {
                return -1;
            }
            int v = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                v = v * 10 + (c - '0');
            }
            return v;
        }
    }
}

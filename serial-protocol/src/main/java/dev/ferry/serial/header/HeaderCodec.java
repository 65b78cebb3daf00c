package dev.ferry.serial.header;

import dev.ferry.rp.Decoded;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import java.util.List;

/**
 * Encodes and decodes one RP message (header and body) for one version of RP/serial; the link
 * set-up picks the version (PROTOCOL.md 3.6), and with it the codec:
 *
 * <ul>
 *   <li>version 1 ({@link TextHeaderCodec}): the header as LF-separated text (PROTOCOL.md 5);
 *   <li>version 2 ({@link BinaryHeaderCodec}): a binary header with path forms that replace the
 *       common paths by one byte (PROTOCOL.md 8).
 * </ul>
 *
 * <p>Callers may rely on: {@link #decode} never throws, whatever the bytes, and returns the message
 * or one of BAD_HEADER, UNKNOWN_VERB, BAD_PATH; {@link #encode} of a valid message decodes to an
 * equal message (version 2: paths in the forms of PROTOCOL.md 8.2). Implementations are immutable
 * and thread-safe.
 */
public interface HeaderCodec {
    /** The host's default header size limit (version 1: the text header up to its blank line). */
    int DEFAULT_MAX_HEADER = 1024;

    /** The major version this codec implements (1 or 2). */
    int version();

    /** The encoding of {@code m}. */
    byte[] encode(Message m);

    /** Decodes {@code msg[off, off+len)}; never throws for any content. */
    Decoded<Message> decode(byte[] msg, int off, int len);

    /** Decodes a whole message. */
    default Decoded<Message> decode(byte[] msg) {
        return decode(msg, 0, msg.length);
    }

    /**
     * The codec for major version {@code major} (1 or 2); version 2 uses {@code resources} as the
     * station's resource table (may be empty).
     *
     * @throws IllegalArgumentException for another version
     */
    static HeaderCodec forVersion(int major, int maxHeader, List<Path> resources) {
        return switch (major) {
            case 1 -> new TextHeaderCodec(maxHeader);
            case 2 -> new BinaryHeaderCodec(resources);
            default -> throw new IllegalArgumentException("no header codec for version " + major);
        };
    }
}

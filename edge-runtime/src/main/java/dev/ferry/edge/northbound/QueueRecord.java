package dev.ferry.edge.northbound;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The byte layout of one queue record (NORTHBOUND.md, "On-disk format"): {@code u32 length} of
 * what follows the CRC, {@code u32 CRC-32C} of it, then {@code u64 id}, {@code u64 produced_ms},
 * {@code u8 kind}, {@code u16 key length}, the key (UTF-8) and the payload. Big-endian. Pure
 * encoding and decoding, with the file reads the queue classes share.
 */
final class QueueRecord {
    /** Largest record body accepted (id, time, kind, key and payload), bytes. */
    static final int MAX_BODY = 1 << 20;
    /** Bytes before the body: length and CRC. */
    static final int HEADER = 8;
    /** Bytes of the body before the key: id, produced ms, kind, key length. */
    static final int FIXED = 8 + 8 + 1 + 2;

    private QueueRecord() {
    }

    /** The body length of a record with this key and payload. */
    static int bodyLength(byte[] key, byte[] payload) {
        return FIXED + key.length + payload.length;
    }

    /** The whole record (header and body), ready to write. */
    static ByteBuffer encode(long id, long producedMs, byte kind, byte[] key, byte[] payload) {
        int len = bodyLength(key, payload);
        ByteBuffer rec = ByteBuffer.allocate(HEADER + len);
        rec.putInt(len).putInt(0).putLong(id).putLong(producedMs).put(kind).putShort((short) key.length)
                .put(key).put(payload);
        rec.putInt(4, crc(rec.array(), HEADER, len));
        rec.flip();
        return rec;
    }

    /** The entry a record body holds. */
    static DiskQueue.Entry decode(ByteBuffer body) {
        long id = body.getLong(0);
        long produced = body.getLong(8);
        byte kind = body.get(16);
        int klen = Short.toUnsignedInt(body.getShort(17));
        String key = new String(body.array(), FIXED, klen, StandardCharsets.UTF_8);
        byte[] payload = new byte[body.capacity() - FIXED - klen];
        System.arraycopy(body.array(), FIXED + klen, payload, 0, payload.length);
        return new DiskQueue.Entry(id, produced, kind, key, payload);
    }

    /** The id a record body starts with. */
    static long idOf(ByteBuffer body) {
        return body.getLong(0);
    }

    static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    static int readInt(FileChannel ch, long at) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4);
        readFully(ch, b, at);
        return b.getInt(0);
    }

    static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        long pos = at;
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                throw new IOException("unexpected end of " + ch + " at " + pos);
            }
            pos += n;
        }
    }

    static void writeFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        long pos = at;
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
    }
}

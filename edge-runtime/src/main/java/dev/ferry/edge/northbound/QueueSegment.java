package dev.ferry.edge.northbound;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One segment file of the queue, {@code <first id, 20 digits>.seg}: records back to back with
 * ids {@link #firstId} .. {@link #lastId}. Opening an existing one reads every record and cuts the
 * file at the first that is short, too long, fails its CRC or has an unexpected id (a torn write
 * of a power cut), so that what remains is whole. Not thread-safe.
 */
final class QueueSegment implements AutoCloseable {
    final long firstId;
    final Path file;
    private final FileChannel ch;
    /** Bytes of whole records in the file. */
    long size;
    /** The id of its last record ({@code firstId - 1} when empty). */
    long lastId;
    /** Whether opening it cut a torn or corrupt tail. */
    boolean cut;

    private QueueSegment(long firstId, Path file, FileChannel ch) {
        this.firstId = firstId;
        this.file = file;
        this.ch = ch;
        this.lastId = firstId - 1;
    }

    /** Whether {@code name} is a segment file's name. */
    static boolean isSegment(Path name) {
        return name.getFileName().toString().matches("[0-9]{20}\\.seg");
    }

    /** A new, empty segment in {@code dir} whose first record will be {@code firstId}. */
    static QueueSegment create(Path dir, long firstId) throws IOException {
        Path f = dir.resolve(String.format("%020d.seg", firstId));
        FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new QueueSegment(firstId, f, ch);
    }

    /** An existing segment, scanned and cut after its last whole record. */
    static QueueSegment open(Path file) throws IOException {
        long first = Long.parseLong(file.getFileName().toString().substring(0, 20));
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        QueueSegment s = new QueueSegment(first, file, ch);
        try {
            s.scan();
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return s;
    }

    private void scan() throws IOException {
        long end = ch.size();
        long off = 0;
        long id = firstId;
        ByteBuffer h = ByteBuffer.allocate(QueueRecord.HEADER);
        while (off + QueueRecord.HEADER <= end) {
            h.clear();
            QueueRecord.readFully(ch, h, off);
            int len = h.getInt(0);
            if (len < QueueRecord.FIXED || len > QueueRecord.MAX_BODY || off + QueueRecord.HEADER + len > end) {
                break;
            }
            ByteBuffer body = ByteBuffer.allocate(len);
            QueueRecord.readFully(ch, body, off + QueueRecord.HEADER);
            if (QueueRecord.crc(body.array(), 0, len) != h.getInt(4) || QueueRecord.idOf(body) != id) {
                break;
            }
            off += QueueRecord.HEADER + len;
            id++;
        }
        if (off < end) {
            cut = true;
            ch.truncate(off);
            ch.force(true);
        }
        size = off;
        lastId = id - 1;
    }

    boolean isEmpty() {
        return lastId < firstId;
    }

    /** Appends one encoded record with id {@code id} (the next after {@link #lastId}). */
    void append(long id, ByteBuffer record) throws IOException {
        int n = record.remaining();
        QueueRecord.writeFully(ch, record, size);
        size += n;
        lastId = id;
    }

    /** The body length of the record at {@code offset}. */
    int bodyLengthAt(long offset) throws IOException {
        return QueueRecord.readInt(ch, offset);
    }

    /** The body of the record at {@code offset}, whose length is {@code len}. */
    ByteBuffer bodyAt(long offset, int len) throws IOException {
        ByteBuffer body = ByteBuffer.allocate(len);
        QueueRecord.readFully(ch, body, offset + QueueRecord.HEADER);
        return body;
    }

    void force() throws IOException {
        ch.force(false);
    }

    /** Closes and deletes the file. */
    void delete() throws IOException {
        ch.close();
        Files.deleteIfExists(file);
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}

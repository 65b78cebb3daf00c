package dev.ferry.edge.northbound;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The queue's {@code head} file: the id of the first record not yet acknowledged, as {@code u64}
 * followed by the {@code u32 CRC-32C} of those 8 bytes, rewritten in place. A missing, short or
 * corrupt file reads as 0 (everything on disk is sent again: at least once, never lost).
 */
final class QueueHead implements AutoCloseable {
    private final FileChannel ch;

    QueueHead(Path dir) throws IOException {
        ch = FileChannel.open(dir.resolve("head"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
    }

    long read() throws IOException {
        if (ch.size() < 12) {
            return 0;
        }
        ByteBuffer b = ByteBuffer.allocate(12);
        QueueRecord.readFully(ch, b, 0);
        return QueueRecord.crc(b.array(), 0, 8) == b.getInt(8) ? b.getLong(0) : 0;
    }

    /** Rewrites the head; forced to the disk only when {@code force}. */
    void write(long headId, boolean force) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(12);
        b.putLong(0, headId);
        b.putInt(8, QueueRecord.crc(b.array(), 0, 8));
        QueueRecord.writeFully(ch, b, 0);
        if (force) {
            ch.force(false);
        }
    }

    void force() throws IOException {
        ch.force(false);
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}

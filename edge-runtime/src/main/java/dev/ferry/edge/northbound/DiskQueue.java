package dev.ferry.edge.northbound;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The northbound store-and-forward queue (DESIGN.md 11): a bounded, ordered, on-disk log of the
 * messages waiting for the broker, that survives a process restart and, within its fsync policy,
 * a power cut. Messages are appended at the tail, read in order from a send cursor, and removed
 * from the head when the broker acknowledged them; an unacknowledged message is read again after
 * {@link #rewind()} (a new connection). The on-disk format is described in NORTHBOUND.md
 * ("Store-and-forward queue"): segment files {@code <first id>.seg} of CRC-32C-checked records,
 * and a {@code head} file naming the first record not yet acknowledged.
 *
 * <p>Callers may rely on: ids increase by one per accepted message, also across restarts; a
 * message is returned by {@link #next()} in id order and only once per {@link #rewind()}; the
 * bytes queued from head to tail never exceed the bound (the configured policy drops the oldest or
 * refuses the newest, and says so in {@link Appended}); a torn or corrupt tail found at start-up
 * is cut off and counted in {@link #corruptRecords()}. Not thread-safe: one thread owns it.
 */
public final class DiskQueue implements AutoCloseable {
    /** Largest record accepted (id, time, kind, key and payload), bytes. */
    public static final int MAX_RECORD = 1 << 20;
    static final int HEADER = 8;            // u32 length, u32 crc32c
    private static final int FIXED = 8 + 8 + 1 + 2;   // id, produced ms, kind, key length

    /** A queued message. */
    public record Entry(long id, long producedMs, byte kind, String key, byte[] payload) {
        /** Bytes this entry takes in the queue (its record on disk). */
        public int size() {
            return HEADER + FIXED + key.getBytes(StandardCharsets.UTF_8).length + payload.length;
        }
    }

    /** What {@link #append} did. */
    public enum Appended { STORED, STORED_DROPPED_OLDEST, REFUSED_FULL, REFUSED_TOO_LARGE }

    /** When the data reaches the disk. */
    public enum Sync { ALWAYS, INTERVAL, NEVER }

    private final Path dir;
    private final long maxBytes;
    private final boolean dropOldest;
    private final Sync sync;
    private final long segmentBytes;
    private final List<Segment> segments = new ArrayList<>();
    private final TreeSet<Long> ackedAhead = new TreeSet<>();
    private final FileChannel headFile;
    private long headId;          // first id not acknowledged (and not dropped)
    private long headOffset;      // its offset in segments.get(0)
    private long sendId;
    private int sendSegment;
    private long sendOffset;
    private long nextId;
    private long liveBytes;
    private long liveCount;
    private long droppedOldest;
    private long corrupt;
    private boolean dirty;

    private static final class Segment {
        final long firstId;
        final Path file;
        final FileChannel ch;
        long size;
        long lastId;

        Segment(long firstId, Path file, FileChannel ch) {
            this.firstId = firstId;
            this.file = file;
            this.ch = ch;
            this.lastId = firstId - 1;
        }
    }

    private DiskQueue(Path dir, long maxBytes, boolean dropOldest, Sync sync, FileChannel headFile) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.dropOldest = dropOldest;
        this.sync = sync;
        this.segmentBytes = Math.max(4096, Math.min(1 << 20, maxBytes / 16));
        this.headFile = headFile;
    }

    /**
     * Opens (creating) the queue in {@code dir}, recovering what an earlier process left.
     *
     * @param maxBytes   bound of the bytes queued (records from head to tail)
     * @param dropOldest true: a full queue drops its oldest message; false: refuses the new one
     * @throws IOException when the directory cannot be created, read or written
     */
    public static DiskQueue open(Path dir, long maxBytes, boolean dropOldest, Sync sync) throws IOException {
        Files.createDirectories(dir);
        FileChannel head = FileChannel.open(dir.resolve("head"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        DiskQueue q = new DiskQueue(dir, maxBytes, dropOldest, sync, head);
        try {
            q.recover();
        } catch (IOException | RuntimeException e) {
            q.close();
            throw e;
        }
        return q;
    }

    private void recover() throws IOException {
        long savedHead = readHead();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches("[0-9]{20}\\.seg")).sorted().toList();
        }
        nextId = savedHead;
        for (Path f : files) {
            long first = Long.parseLong(f.getFileName().toString().substring(0, 20));
            FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
            Segment seg = new Segment(first, f, ch);
            scan(seg);
            if (seg.lastId < savedHead || seg.lastId < seg.firstId) {
                ch.close();
                Files.deleteIfExists(f);          // wholly acknowledged, or empty
                continue;
            }
            segments.add(seg);
            nextId = Math.max(nextId, seg.lastId + 1);
        }
        headId = Math.max(savedHead, segments.isEmpty() ? nextId : segments.get(0).firstId);
        headOffset = 0;
        if (!segments.isEmpty()) {
            Segment s0 = segments.get(0);
            long id = s0.firstId;
            while (id < headId) {
                headOffset += HEADER + readInt(s0.ch, headOffset);
                id++;
            }
        }
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            long from = i == 0 ? headOffset : 0;
            liveBytes += s.size - from;
            liveCount += s.lastId - (i == 0 ? headId : s.firstId) + 1;
        }
        rewind();
    }

    /** Reads records until the end or the first bad one, where the file is cut (torn write). */
    private void scan(Segment seg) throws IOException {
        long size = seg.ch.size();
        long off = 0;
        long id = seg.firstId;
        while (off + HEADER <= size) {
            ByteBuffer h = ByteBuffer.allocate(HEADER);
            readFully(seg.ch, h, off);
            int len = h.getInt(0);
            if (len < FIXED || len > MAX_RECORD || off + HEADER + len > size) {
                break;
            }
            ByteBuffer body = ByteBuffer.allocate(len);
            readFully(seg.ch, body, off + HEADER);
            if (crc(body.array()) != h.getInt(4) || body.getLong(0) != id) {
                break;
            }
            off += HEADER + len;
            id++;
        }
        if (off < size) {
            corrupt++;
            seg.ch.truncate(off);
            seg.ch.force(true);
        }
        seg.size = off;
        seg.lastId = id - 1;
    }

    /**
     * Appends a message; with {@link Sync#ALWAYS} it is on the disk when this returns.
     *
     * @throws IOException when the disk refuses the write (the message is not queued)
     */
    public Appended append(byte kind, String key, long producedMs, byte[] payload) throws IOException {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int len = FIXED + k.length + payload.length;
        if (len > MAX_RECORD || k.length > 0xFFFF || HEADER + len > maxBytes) {
            return Appended.REFUSED_TOO_LARGE;
        }
        boolean dropped = false;
        while (liveBytes + HEADER + len > maxBytes) {
            if (!dropOldest || liveCount == 0) {
                return Appended.REFUSED_FULL;
            }
            dropHead();
            dropped = true;
        }
        Segment tail = segments.isEmpty() ? null : segments.get(segments.size() - 1);
        if (tail == null || tail.size >= segmentBytes) {
            tail = newSegment(nextId);
        }
        ByteBuffer rec = ByteBuffer.allocate(HEADER + len);
        rec.putInt(len).putInt(0).putLong(nextId).putLong(producedMs).put(kind).putShort((short) k.length)
                .put(k).put(payload);
        rec.putInt(4, crc(rec.array(), HEADER, len));
        rec.flip();
        long at = tail.size;
        while (rec.hasRemaining()) {
            at += tail.ch.write(rec, at);
        }
        tail.size = at;
        tail.lastId = nextId++;
        liveBytes += HEADER + len;
        liveCount++;
        dirty = true;
        if (sync == Sync.ALWAYS) {
            tail.ch.force(false);
            dirty = false;
        }
        return dropped ? Appended.STORED_DROPPED_OLDEST : Appended.STORED;
    }

    private Segment newSegment(long firstId) throws IOException {
        Path f = dir.resolve(String.format("%020d.seg", firstId));
        FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        Segment s = new Segment(firstId, f, ch);
        segments.add(s);
        return s;
    }

    /**
     * The next message after the send cursor, or null when every queued message was read since the
     * last {@link #rewind()}.
     */
    public Entry next() throws IOException {
        while (sendSegment < segments.size()) {
            Segment s = segments.get(sendSegment);
            if (sendOffset < s.size) {
                int len = readInt(s.ch, sendOffset);
                ByteBuffer body = ByteBuffer.allocate(len);
                readFully(s.ch, body, sendOffset + HEADER);
                sendOffset += HEADER + len;
                sendId++;
                return decode(body);
            }
            if (sendSegment == segments.size() - 1) {
                return null;
            }
            sendSegment++;
            sendOffset = 0;
        }
        return null;
    }

    private static Entry decode(ByteBuffer b) {
        long id = b.getLong(0);
        long produced = b.getLong(8);
        byte kind = b.get(16);
        int klen = Short.toUnsignedInt(b.getShort(17));
        String key = new String(b.array(), FIXED, klen, StandardCharsets.UTF_8);
        byte[] payload = new byte[b.capacity() - FIXED - klen];
        System.arraycopy(b.array(), FIXED + klen, payload, 0, payload.length);
        return new Entry(id, produced, kind, key, payload);
    }

    /**
     * The broker took message {@code id}: the head moves past every acknowledged message in a row
     * and the head file is rewritten (forced to the disk by the fsync policy). Unknown or already
     * dropped ids are ignored.
     */
    public void ack(long id) throws IOException {
        if (id < headId || id >= nextId) {
            return;
        }
        ackedAhead.add(id);
        boolean moved = false;
        while (!ackedAhead.isEmpty() && ackedAhead.first() == headId) {
            ackedAhead.pollFirst();
            advanceHead();
            moved = true;
        }
        if (moved) {
            writeHead();
        }
    }

    private void dropHead() throws IOException {
        ackedAhead.remove(headId);
        advanceHead();
        droppedOldest++;
        writeHead();
    }

    private void advanceHead() throws IOException {
        trimHeadSegment();
        Segment s0 = segments.get(0);
        int len = readInt(s0.ch, headOffset);
        headOffset += HEADER + len;
        headId++;
        liveBytes -= HEADER + len;
        liveCount--;
        trimHeadSegment();
        if (sendId < headId) {
            sendId = headId;
            sendSegment = 0;
            sendOffset = headOffset;
        }
    }

    /** Deletes the head segment once the head has passed all of it and a later one exists. */
    private void trimHeadSegment() throws IOException {
        while (segments.size() > 1 && headOffset >= segments.get(0).size) {
            Segment s0 = segments.remove(0);
            s0.ch.close();
            Files.deleteIfExists(s0.file);
            headOffset = 0;
            if (sendSegment == 0) {
                sendOffset = 0;
            } else {
                sendSegment--;
            }
        }
    }

    /** Moves the send cursor back to the first unacknowledged message (after a lost connection). */
    public void rewind() {
        ackedAhead.clear();
        sendId = headId;
        sendSegment = 0;
        sendOffset = headOffset;
    }

    /** Forces appended data and the head to the disk if anything changed (the interval policy). */
    public void sync() throws IOException {
        if (!dirty || sync == Sync.NEVER) {
            return;
        }
        if (!segments.isEmpty()) {
            segments.get(segments.size() - 1).ch.force(false);
        }
        headFile.force(false);
        dirty = false;
    }

    private long readHead() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(12);
        if (headFile.size() < 12) {
            return 0;
        }
        readFully(headFile, b, 0);
        return crc(b.array(), 0, 8) == b.getInt(8) ? b.getLong(0) : 0;
    }

    private void writeHead() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(12);
        b.putLong(0, headId);
        b.putInt(8, crc(b.array(), 0, 8));
        while (b.hasRemaining()) {
            headFile.write(b, b.position());
        }
        dirty = true;
        if (sync == Sync.ALWAYS) {
            headFile.force(false);
        }
    }

    /** Messages queued (not yet acknowledged). */
    public long depth() {
        return liveCount;
    }

    /** Bytes queued (records of the messages not yet acknowledged). */
    public long bytes() {
        return liveBytes;
    }

    /** Messages read since the last rewind and not yet acknowledged (in flight). */
    public long unacknowledgedRead() {
        return sendId - headId - ackedAhead.size();
    }

    /** The id the next appended message gets. */
    public long nextId() {
        return nextId;
    }

    /** Messages the drop-oldest policy removed since this queue was opened. */
    public long droppedOldest() {
        return droppedOldest;
    }

    /** Torn or corrupt record tails cut off at start-up. */
    public long corruptRecords() {
        return corrupt;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Forces everything to the disk (unless the policy is never) and closes the files. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        try {
            sync();
        } catch (IOException e) {
            first = e;
        }
        for (Segment s : segments) {
            try {
                s.ch.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        segments.clear();
        headFile.close();
        if (first != null) {
            throw first;
        }
    }

    private static int readInt(FileChannel ch, long at) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4);
        readFully(ch, b, at);
        return b.getInt(0);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        long pos = at;
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                throw new IOException("unexpected end of " + ch + " at " + pos);
            }
            pos += n;
        }
    }

    private static int crc(byte[] b) {
        return crc(b, 0, b.length);
    }

    private static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }
}

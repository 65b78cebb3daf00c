package dev.ferry.edge.northbound;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The northbound store-and-forward queue (DESIGN.md 11): a bounded, ordered, on-disk log of the
 * messages waiting for the broker, that survives a process restart and, within its fsync policy,
 * a power cut. Messages are appended at the tail, read in order from a send cursor, and removed
 * from the head when the broker acknowledged them; an unacknowledged message is read again after
 * {@link #rewind()} (a new connection). The on-disk format is described in NORTHBOUND.md
 * ("Store-and-forward queue"): segment files ({@link QueueSegment}) of CRC-32C-checked records
 * ({@link QueueRecord}), and a {@code head} file ({@link QueueHead}) naming the first record not
 * yet acknowledged. This class keeps the bound, the order and the two cursors (head, send).
 *
 * <p>Callers may rely on: ids increase by one per accepted message, also across restarts; a
 * message is returned by {@link #next()} in id order and only once per {@link #rewind()}; the
 * bytes queued from head to tail never exceed the bound (the configured policy drops the oldest or
 * refuses the newest, and says so in {@link Appended}); {@link #droppedOldest()} counts each
 * message the policy dropped and the broker did not take: one dropped while in flight (read since
 * the last {@link #rewind()}, not acknowledged) counts only if its acknowledgement never comes,
 * that is at the next {@link #rewind()}; a torn or corrupt tail found at start-up is cut off and
 * counted in {@link #corruptRecords()}. Not thread-safe: one thread owns it.
 */
public final class DiskQueue implements AutoCloseable {
    /** Largest record accepted (id, time, kind, key and payload), bytes. */
    public static final int MAX_RECORD = QueueRecord.MAX_BODY;
    private static final int HEADER = QueueRecord.HEADER;

    /** A queued message. */
    public record Entry(long id, long producedMs, byte kind, String key, byte[] payload) {
        /** Bytes this entry takes in the queue (its record on disk). */
        public int size() {
            return HEADER + QueueRecord.bodyLength(key.getBytes(StandardCharsets.UTF_8), payload);
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
    private final List<QueueSegment> segments = new ArrayList<>();
    private final TreeSet<Long> ackedAhead = new TreeSet<>();
    /** Ids dropped while in flight: delivered if acknowledged yet, dropped if not by the next rewind. */
    private final TreeSet<Long> droppedInFlight = new TreeSet<>();
    private final QueueHead head;
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

    private DiskQueue(Path dir, long maxBytes, boolean dropOldest, Sync sync, QueueHead head) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.dropOldest = dropOldest;
        this.sync = sync;
        this.segmentBytes = Math.max(4096, Math.min(1 << 20, maxBytes / 16));
        this.head = head;
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
        DiskQueue q = new DiskQueue(dir, maxBytes, dropOldest, sync, new QueueHead(dir));
        try {
            q.recover();
        } catch (IOException | RuntimeException e) {
            q.close();
            throw e;
        }
        return q;
    }

    private void recover() throws IOException {
        long savedHead = head.read();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(QueueSegment::isSegment).sorted().toList();
        }
        nextId = savedHead;
        for (Path f : files) {
            QueueSegment seg = QueueSegment.open(f);
            corrupt += seg.cut ? 1 : 0;
            if (seg.lastId < savedHead || seg.isEmpty()) {
                seg.delete();                 // wholly acknowledged, or empty
                continue;
            }
            segments.add(seg);
            nextId = Math.max(nextId, seg.lastId + 1);
        }
        headId = Math.max(savedHead, segments.isEmpty() ? nextId : segments.get(0).firstId);
        headOffset = 0;
        if (!segments.isEmpty()) {
            QueueSegment s0 = segments.get(0);
            for (long id = s0.firstId; id < headId; id++) {
                headOffset += HEADER + s0.bodyLengthAt(headOffset);
            }
        }
        for (int i = 0; i < segments.size(); i++) {
            QueueSegment s = segments.get(i);
            liveBytes += s.size - (i == 0 ? headOffset : 0);
            liveCount += s.lastId - (i == 0 ? headId : s.firstId) + 1;
        }
        rewind();
    }

    /**
     * Appends a message; with {@link Sync#ALWAYS} it is on the disk when this returns.
     *
     * @throws IOException when the disk refuses the write (the message is not queued)
     */
    public Appended append(byte kind, String key, long producedMs, byte[] payload) throws IOException {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int len = QueueRecord.bodyLength(k, payload);
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
        QueueSegment tail = segments.isEmpty() ? null : segments.get(segments.size() - 1);
        if (tail == null || tail.size >= segmentBytes) {
            tail = QueueSegment.create(dir, nextId);
            segments.add(tail);
        }
        ByteBuffer rec = QueueRecord.encode(nextId, producedMs, kind, k, payload);
        tail.append(nextId++, rec);
        liveBytes += HEADER + len;
        liveCount++;
        dirty = true;
        if (sync == Sync.ALWAYS) {
            tail.force();
            dirty = false;
        }
        return dropped ? Appended.STORED_DROPPED_OLDEST : Appended.STORED;
    }

    /**
     * The next message after the send cursor, or null when every queued message was read since the
     * last {@link #rewind()}.
     */
    public Entry next() throws IOException {
        while (sendSegment < segments.size()) {
            QueueSegment s = segments.get(sendSegment);
            if (sendOffset < s.size) {
                int len = s.bodyLengthAt(sendOffset);
                ByteBuffer body = s.bodyAt(sendOffset, len);
                sendOffset += HEADER + len;
                sendId++;
                return QueueRecord.decode(body);
            }
            if (sendSegment == segments.size() - 1) {
                return null;
            }
            sendSegment++;
            sendOffset = 0;
        }
        return null;
    }

    /**
     * The broker took message {@code id}: the head moves past every acknowledged message in a row
     * and the head file is rewritten (forced to the disk by the fsync policy). Unknown or already
     * dropped ids are ignored.
     */
    public void ack(long id) throws IOException {
        if (id < headId) {
            droppedInFlight.remove(id);         // dropped while in flight, but the broker took it
            return;
        }
        if (id >= nextId) {
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
        if (headId < sendId) {
            droppedInFlight.add(headId);        // counted at the rewind unless acknowledged before
        } else {
            droppedOldest++;
        }
        advanceHead();
        writeHead();
    }

    private void advanceHead() throws IOException {
        trimHeadSegment();
        int len = segments.get(0).bodyLengthAt(headOffset);
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
            segments.remove(0).delete();
            headOffset = 0;
            if (sendSegment == 0) {
                sendOffset = 0;
            } else {
                sendSegment--;
            }
        }
    }

    private void writeHead() throws IOException {
        head.write(headId, sync == Sync.ALWAYS);
        dirty = true;
    }

    /**
     * Moves the send cursor back to the first unacknowledged message (after a lost connection);
     * messages dropped while in flight and not acknowledged count as dropped now.
     */
    public void rewind() {
        droppedOldest += droppedInFlight.size();
        droppedInFlight.clear();
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
            segments.get(segments.size() - 1).force();
        }
        head.force();
        dirty = false;
    }

    /** Messages queued (not yet acknowledged). */
    public long depth() {
        return liveCount;
    }

    /** Bytes queued (records of the messages not yet acknowledged). */
    public long bytes() {
        return liveBytes;
    }

    /** The id the next appended message gets. */
    public long nextId() {
        return nextId;
    }

    /**
     * Messages the drop-oldest policy removed since this queue was opened and the broker did not
     * take (one removed while in flight counts from the next {@link #rewind()} on, if it was not
     * acknowledged by then).
     */
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
        for (QueueSegment s : segments) {
            try {
                s.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        segments.clear();
        head.close();
        if (first != null) {
            throw first;
        }
    }
}

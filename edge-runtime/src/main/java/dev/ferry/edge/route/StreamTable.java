package dev.ferry.edge.route;

import dev.ferry.rp.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The router's bounded book of open exchanges, keyed by the requester's return path in the host
 * namespace (the {@code from} of a request, the {@code to} of every reply). An entry is opened by
 * a request, marked streaming by its first reply, and closed by the reply marked EOF, by a
 * timeout, or when either side goes away. Each entry remembers the {@link Principal} that opened
 * it (the stream's owner) and, once the first reply came, is also found by its stream path, so
 * that flow control and cancel can be checked against the owner. Thread-safe.
 */
public final class StreamTable {
    /** One open exchange. Mutable fields are only touched through the table. */
    public static final class Entry {
        private final Path replyTo;
        private final String requester;
        private final String responder;
        private final Principal owner;
        private volatile long deadline;
        private volatile Path streamPath;

        Entry(Path replyTo, String requester, String responder, Principal owner, long deadline) {
            this.replyTo = replyTo;
            this.requester = requester;
            this.responder = responder;
            this.owner = owner;
            this.deadline = deadline;
        }

        /** The principal that opened the exchange. */
        public Principal owner() {
            return owner;
        }

        /** Where replies go (host namespace). */
        public Path replyTo() {
            return replyTo;
        }

        public String requester() {
            return requester;
        }

        public String responder() {
            return responder;
        }

        /** The responder's stream path once a reply came (host namespace), else null. */
        public Path streamPath() {
            return streamPath;
        }

        /** True until the first reply arrives. */
        public boolean pending() {
            return streamPath == null;
        }

        long deadline() {
            return deadline;
        }
    }

    private final Map<Path, Entry> entries = new ConcurrentHashMap<>();
    private final Map<Path, Entry> byStream = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;

    public StreamTable(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /** What {@link #open} did. */
    public enum Opened { NEW, EXISTING, FULL }

    /**
     * Opens (or finds) the exchange whose replies go to {@code replyTo}; FULL when the table is
     * at capacity, in which case nothing was recorded.
     */
    public Opened open(Path replyTo, String requester, String responder, long deadline) {
        return open(replyTo, requester, responder, Principal.ofEndpoint(requester), deadline);
    }

    /** Like {@link #open(Path, String, String, long)}, recording {@code owner} as the stream's owner. */
    public Opened open(Path replyTo, String requester, String responder, Principal owner, long deadline) {
        if (entries.containsKey(replyTo)) {
            return Opened.EXISTING;
        }
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return Opened.FULL;
        }
        Entry fresh = new Entry(replyTo, requester, responder, owner, deadline);
        if (entries.putIfAbsent(replyTo, fresh) != null) {
            size.decrementAndGet();
            return Opened.EXISTING;
        }
        return Opened.NEW;
    }

    /**
     * Records a reply to {@code replyTo} coming from {@code streamPath}; removes the entry when
     * the reply ends the stream. Returns the entry, or null when no exchange was open.
     */
    public Entry reply(Path replyTo, Path streamPath, boolean eof) {
        return reply(replyTo, null, streamPath, eof);
    }

    /**
     * Like {@link #reply(Path, Path, boolean)}, but only for an exchange whose responder is
     * {@code responder} (null: any): a reply from anyone else is not recorded and null is
     * returned, so the caller can refuse it as unsolicited.
     */
    public Entry reply(Path replyTo, String responder, Path streamPath, boolean eof) {
        Entry e = entries.get(replyTo);
        if (e == null || (responder != null && !e.responder.equals(responder))) {
            return null;
        }
        if (eof) {
            if (!entries.remove(replyTo, e)) {
                return null;
            }
            size.decrementAndGet();
            unindex(e);
        } else if (e.streamPath == null && streamPath != null) {
            e.streamPath = streamPath;
            e.deadline = Long.MAX_VALUE;
            byStream.putIfAbsent(streamPath, e);
        }
        return e;
    }

    /** The open exchange whose replies go to {@code replyTo} (host namespace), or null. */
    public Entry get(Path replyTo) {
        return entries.get(replyTo);
    }

    /** The open exchange whose replies come from {@code streamPath} (host namespace), or null. */
    public Entry byStream(Path streamPath) {
        return byStream.get(streamPath);
    }

    private void unindex(Entry e) {
        Path sp = e.streamPath;
        if (sp != null) {
            byStream.remove(sp, e);
        }
    }

    /** Removes and returns every entry {@code endpointId} takes part in. */
    public List<Entry> removeEndpoint(String endpointId) {
        return removeEndpoint(endpointId, e -> false);
    }

    /** Like {@link #removeEndpoint(String)}, leaving the entries {@code keep} accepts in place. */
    public List<Entry> removeEndpoint(String endpointId, java.util.function.Predicate<Entry> keep) {
        return removeIf(e -> (e.requester.equals(endpointId) || e.responder.equals(endpointId)) && !keep.test(e));
    }

    /** Removes and returns the pending entries whose deadline is before {@code now}. */
    public List<Entry> removeExpired(long now) {
        return removeIf(e -> e.pending() && e.deadline - now < 0);
    }

    private List<Entry> removeIf(java.util.function.Predicate<Entry> p) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (p.test(e) && entries.remove(e.replyTo, e)) {
                size.decrementAndGet();
                unindex(e);
                out.add(e);
            }
        }
        return out;
    }

    public int size() {
        return size.get();
    }

    public int capacity() {
        return capacity;
    }

    /** A snapshot of the open entries. */
    public List<Entry> entries() {
        return new ArrayList<>(entries.values());
    }
}

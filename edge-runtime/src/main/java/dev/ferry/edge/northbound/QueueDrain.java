package dev.ferry.edge.northbound;

import dev.ferry.edge.config.NorthboundConfig;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.metrics.RemoteLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.tinylog.Logger;

/**
 * The store-and-forward queue between the endpoint and the broker: every data message is
 * appended to the {@link DiskQueue} first (drops counted by reason), and while a session is open
 * the records are handed to the connection in order, at most {@code max_inflight} (capped by the
 * broker's Receive Maximum) unacknowledged; a record leaves the queue only when the broker took
 * it. A record queued before the current session's births is sent as historical; a birth or
 * death queued in an earlier session is skipped (the new births replace it). A broker's refusal
 * of a record (PUBACK 0x87 not authorized, 0x90 topic invalid, 0x99 payload invalid) is final:
 * the record is dropped and counted as {@code broker_refused}; any other failure ends the
 * connection and the record is sent again on the next. Engine thread only.
 */
final class QueueDrain {
    private final DiskQueue queue;
    private final Metrics metrics;
    private final EngineLoop loop;
    private final Wire wire;
    private final Consumer<String> failed;
    private MqttLink link;
    private boolean open;
    private int epoch;                // which connection a completion belongs to
    private int inflight;
    private int inflightLimit = 1;
    private long sessionFirstId = Long.MAX_VALUE;
    private long droppedOldestCounted;
    private boolean historyDone;
    private volatile long depth;
    private volatile long bytes;

    /** Opens the queue of {@code cfg}; {@code failed} is told when a publish failed (the session must end). */
    QueueDrain(NorthboundConfig cfg, Metrics metrics, EngineLoop loop, Wire wire, Consumer<String> failed)
            throws IOException {
        Path dir = Path.of(cfg.queueDir());
        this.queue = DiskQueue.open(dir, cfg.queueMaxBytes(),
                cfg.queueFull() == NorthboundConfig.QueueFull.DROP_OLDEST,
                DiskQueue.Sync.valueOf(cfg.queueFsync().name()));
        this.metrics = metrics;
        this.loop = loop;
        this.wire = wire;
        this.failed = failed;
        if (queue.corruptRecords() > 0) {
            metrics.counter("ferry_northbound_dropped_total", "reason", "corrupt_on_disk")
                    .add(queue.corruptRecords());
            Logger.warn("northbound: cut {} torn or corrupt record tail(s) from the queue in {}",
                    queue.corruptRecords(), dir);
        }
        refreshGauges();
        if (queue.depth() > 0) {
            Logger.info("northbound: {} message(s) ({} bytes) queued from before, to be replayed",
                    queue.depth(), queue.bytes());
        }
    }

    /** A connection is up: nothing of it is in flight yet; at most {@code limit} will be. */
    void connected(MqttLink link, int limit) {
        this.link = link;
        epoch++;
        inflight = 0;
        inflightLimit = Math.max(1, limit);
        queue.rewind();
        countDroppedOldest();
    }

    /**
     * A session's births were sent (also after a Rebirth): what is queued from here on is live,
     * what was queued before is historical; sending starts.
     */
    void born() {
        sessionFirstId = queue.nextId();
        historyDone = false;
        open = true;
        pump();
    }

    /** The connection is gone: completions of it are ignored, unacknowledged records will be sent again. */
    void stopped() {
        open = false;
        epoch++;
        inflight = 0;
        queue.rewind();
        countDroppedOldest();
    }

    /** Queues a record; drops are counted by reason. Returns whether it was stored. */
    boolean append(byte kind, String key, long producedMs, byte[] payload) {
        DiskQueue.Appended a;
        try {
            a = queue.append(kind, key, producedMs, payload);
        } catch (IOException e) {
            drop("disk_error");
            RemoteLog.warn("northbound:disk", "northbound: cannot queue a message: {}", e.getMessage());
            return false;
        }
        countDroppedOldest();
        switch (a) {
            case REFUSED_FULL -> drop("queue_full_newest");
            case REFUSED_TOO_LARGE -> drop("too_large");
            default -> { }
        }
        if (a == DiskQueue.Appended.REFUSED_FULL || a == DiskQueue.Appended.REFUSED_TOO_LARGE) {
            RemoteLog.warn("northbound:full", "northbound: queue full ({} bytes): refused a message for {}",
                    queue.bytes(), RemoteLog.excerpt(key));
            refreshGauges();
            return false;
        }
        if (a == DiskQueue.Appended.STORED_DROPPED_OLDEST) {
            RemoteLog.warn("northbound:full", "northbound: queue full ({} bytes): dropped its oldest message",
                    queue.bytes());
        }
        metrics.inc("ferry_northbound_queued_total");
        refreshGauges();
        pump();
        return true;
    }

    private void drop(String reason) {
        metrics.inc("ferry_northbound_dropped_total", "reason", reason);
    }

    /**
     * Counts what the drop-oldest policy dropped since the last call, as the queue counts it: every
     * message of a drop (a large record may push out several), and one dropped while in flight only
     * once it is known the broker did not take it ({@link DiskQueue#droppedOldest()}).
     */
    private void countDroppedOldest() {
        long now = queue.droppedOldest();
        if (now > droppedOldestCounted) {
            metrics.counter("ferry_northbound_dropped_total", "reason", "queue_full_oldest")
                    .add(now - droppedOldestCounted);
            droppedOldestCounted = now;
        }
    }

    /** Sends queued records while the session is open and the in-flight window has room. */
    void pump() {
        if (!open) {
            return;
        }
        try {
            while (inflight < inflightLimit) {
                DiskQueue.Entry e = queue.next();
                boolean historical = e != null && e.id() < sessionFirstId;
                if (!historical && !historyDone) {
                    historyDone = true;
                    wire.historyDone(System.currentTimeMillis()).forEach(o -> link.publish(o.topic(), o.payload(),
                            o.qos(), o.retain(), null, code -> { }));
                }
                if (e == null) {
                    break;
                }
                if (historical && e.kind() != Wire.DATA) {
                    queue.ack(e.id());     // a birth or death of an earlier session
                    continue;
                }
                List<Wire.Out> outs = wire.finish(e, historical, System.currentTimeMillis());
                for (int i = 0; i < outs.size() - 1; i++) {
                    Wire.Out o = outs.get(i);
                    link.publish(o.topic(), o.payload(), o.qos(), o.retain(), null, code -> { });
                }
                Wire.Out o = outs.get(outs.size() - 1);
                inflight++;
                int conn = epoch;
                long id = e.id();
                link.publish(o.topic(), o.payload(), o.qos(), o.retain(), null,
                        code -> loop.postCritical(() -> published(conn, id, code, historical, o)));
            }
        } catch (IOException e) {
            drop("disk_error");
            Logger.error(e, "northbound: cannot read the queue");
        }
        refreshGauges();
    }

    private void published(int conn, long id, int code, boolean historical, Wire.Out o) {
        if (conn != epoch) {
            return;                 // an old connection's completion; the record is sent again
        }
        inflight--;
        if (code == MqttLink.LOST || code >= 0x80 && !refusedForGood(code)) {
            failed.accept(code == MqttLink.LOST ? "publish not acknowledged"
                    : "publish refused by the broker with reason code 0x" + Integer.toHexString(code));
            return;
        }
        try {
            queue.ack(id);
        } catch (IOException e) {
            Logger.error(e, "northbound: cannot record an acknowledgement");
        }
        if (code >= 0x80) {
            drop("broker_refused");
            RemoteLog.warn("northbound:refused", "northbound: the broker refused a message on {} (reason code 0x{}):"
                    + " dropped; check the broker's ACL for this node", RemoteLog.excerpt(o.topic()),
                    Integer.toHexString(code));
        } else if (o.counted()) {
            metrics.inc(historical ? "ferry_northbound_replayed_total" : "ferry_northbound_published_total");
        }
        pump();
    }

    /** PUBACK reason codes that sending the same message again cannot change. */
    private static boolean refusedForGood(int code) {
        return code == 0x87 || code == 0x90 || code == 0x99;
    }

    /** Periodic: forces the queue to the disk (interval policy). */
    void sync() {
        try {
            queue.sync();
        } catch (IOException e) {
            Logger.warn("northbound: fsync of the queue failed: {}", e.getMessage());
        }
    }

    private void refreshGauges() {
        depth = queue.depth();
        bytes = queue.bytes();
    }

    long depth() {
        return depth;
    }

    long bytes() {
        return bytes;
    }

    long maxBytes() {
        return queue.maxBytes();
    }

    /** Forces the queue to the disk and closes it. */
    void close() {
        open = false;
        try {
            queue.close();
        } catch (IOException e) {
            Logger.warn("northbound: closing the queue: {}", e.getMessage());
        }
    }
}

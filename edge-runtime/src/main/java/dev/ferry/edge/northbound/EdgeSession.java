package dev.ferry.edge.northbound;

import dev.ferry.edge.config.NorthboundConfig;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.metrics.RemoteLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.tinylog.Logger;

/**
 * The MQTT side of northbound, on the engine thread: connecting (and reconnecting with backoff,
 * each CONNECT with a new bdSeq in its Will), waiting for the primary host when one is
 * configured, opening a session with its births, and draining the store-and-forward queue in
 * order with at most {@code max_inflight} unacknowledged messages. A record queued before the
 * current session's births is sent as historical; a birth or death queued in an earlier session
 * is skipped (the new births replace it). A message leaves the queue only once the broker has it.
 *
 * <pre>
 *   DISCONNECTED ──connect──▶ CONNECTING ──CONNACK+SUBACK──▶ CONNECTED ──(primary ONLINE)──▶ BORN
 *        ▲                                   │ fail                          │ lost / primary OFFLINE
 *        └──────────── backoff ──────────────┴───────────────────────────────┘
 * </pre>
 */
final class EdgeSession {
    /** Connection states, as shown in {@code /#runtime/northbound}. */
    enum State { DISCONNECTED, CONNECTING, WAITING_PRIMARY, BORN, CLOSED }

    /** Commands and other messages from the broker, handed to the endpoint. */
    interface Inbound {
        void message(String topic, byte[] payload, MqttProperties props);
    }

    private final NorthboundConfig cfg;
    private final EngineLoop loop;
    private final Metrics metrics;
    private final Wire wire;
    private final DiskQueue queue;
    private final Path bdSeqFile;
    private final Supplier<Collection<Group>> established;
    private Inbound inbound;
    private MqttLink link;
    private volatile State state = State.DISCONNECTED;
    private long bdSeq;
    private int seq;
    private long sessionFirstId = Long.MAX_VALUE;
    private int connection;           // which connection a completion belongs to
    private int inflight;
    private int inflightLimit;
    private long backoffMs;
    private boolean primaryOnline;
    private long primaryTs = Long.MIN_VALUE;
    private volatile long queueDepth;
    private volatile long queueBytes;
    private volatile long bornAtMs;
    private volatile String lastError = "";

    EdgeSession(NorthboundConfig cfg, EngineLoop loop, Metrics metrics, Wire wire,
                Supplier<Collection<Group>> established) throws IOException {
        this.cfg = cfg;
        this.loop = loop;
        this.metrics = metrics;
        this.wire = wire;
        this.established = established;
        Path dir = Path.of(cfg.queueDir());
        this.queue = DiskQueue.open(dir, cfg.queueMaxBytes(),
                cfg.queueFull() == NorthboundConfig.QueueFull.DROP_OLDEST,
                DiskQueue.Sync.valueOf(cfg.queueFsync().name()));
        this.bdSeqFile = dir.resolve("bdseq");
        this.bdSeq = readBdSeq();
        this.backoffMs = cfg.reconnectMinMs();
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

    private long readBdSeq() {
        try {
            return Files.exists(bdSeqFile) ? Long.parseLong(Files.readString(bdSeqFile).trim()) & 0xFF : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** Starts connecting (on the engine thread). */
    void start(Inbound in) throws IOException {
        this.inbound = in;
        this.link = new MqttLink(cfg, new MqttLink.Events() {
            @Override public void connected(int receiveMaximum) {
                loop.postCritical(() -> onConnected(receiveMaximum));
            }

            @Override public void connectFailed(String reason) {
                loop.postCritical(() -> onLost("connect failed: " + reason));
            }

            @Override public void lost(String reason) {
                loop.postCritical(() -> onLost(reason));
            }

            @Override public void message(String topic, byte[] payload, MqttProperties props) {
                if (!loop.post(() -> onMessage(topic, payload, props))) {
                    metrics.inc("ferry_northbound_dropped_total", "reason", "inbound_queue_full");
                }
            }
        });
        loop.post(this::connect);
    }

    private void connect() {
        if (state == State.CLOSED) {
            return;
        }
        connection++;
        state = State.CONNECTING;
        // every CONNECT carries a new bdSeq (Sparkplug 3.0: 0..255, +1 per CONNECT); kept on disk so
        // that a late Will of the previous process never matches this process's NBIRTH
        bdSeq = (bdSeq + 1) & 0xFF;
        try {
            Files.writeString(bdSeqFile, Long.toString(bdSeq));
        } catch (IOException e) {
            Logger.warn("northbound: cannot keep bdSeq in {}: {}", bdSeqFile, e.getMessage());
        }
        link.connect(wire.will(bdSeq), wire.subscriptions());
    }

    private void onConnected(int receiveMaximum) {
        if (state != State.CONNECTING) {
            return;
        }
        metrics.inc("ferry_northbound_connects_total");
        backoffMs = cfg.reconnectMinMs();
        inflight = 0;
        inflightLimit = Math.max(1, Math.min(cfg.maxInflight(), receiveMaximum));
        queue.rewind();
        lastError = "";
        Logger.info("northbound: connected to {} (bdSeq {})", link.uri(), bdSeq);
        if (cfg.primaryHost().isPresent() && !primaryOnline) {
            state = State.WAITING_PRIMARY;
            Logger.info("northbound: waiting for primary host {} to be ONLINE", cfg.primaryHost().get());
            return;
        }
        birth();
    }

    /** Opens a Sparkplug session (or a plain one): births, then the queue from its head. */
    void birth() {
        long now = System.currentTimeMillis();
        Collection<Group> groups = established.get();
        sessionFirstId = queue.nextId();
        for (Wire.Out o : wire.sessionBirth(bdSeq, groups, now)) {
            link.publish(o.topic(), o.payload(), o.qos(), o.retain(), null, ok -> { });
        }
        seq = (1 + groups.size()) & 0xFF;
        state = State.BORN;
        bornAtMs = now;
        metrics.inc("ferry_northbound_births_total");
        pump();
    }

    /** Node Control/Rebirth: stop data, births again with the same bdSeq. */
    void rebirth() {
        if (state == State.BORN) {
            Logger.info("northbound: rebirth requested");
            birth();
        }
    }

    private void onLost(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        boolean wasUp = state == State.BORN || state == State.WAITING_PRIMARY;
        lastError = reason;
        state = State.DISCONNECTED;
        connection++;                 // completions of the old connection are ignored
        inflight = 0;
        queue.rewind();
        link.drop();
        RemoteLog.warn("northbound:lost", "northbound: {} {}; retrying in {} ms", wasUp ? "connection lost:"
                : "cannot connect:", RemoteLog.excerpt(reason), backoffMs);
        loop.after(backoffMs, this::connect);
        backoffMs = Math.min(cfg.reconnectMaxMs(), backoffMs * 2);
    }

    private void onMessage(String topic, byte[] payload, MqttProperties props) {
        if (cfg.primaryHost().isPresent() && topic.equals(SparkplugWire.NS + "/STATE/" + cfg.primaryHost().get())) {
            primaryState(payload);
            return;
        }
        inbound.message(topic, payload, props);
    }

    /** STATE of the primary host: births on ONLINE, NDEATH and reconnect on OFFLINE (newer timestamps only). */
    private void primaryState(byte[] payload) {
        PrimaryState s = PrimaryState.parse(payload);
        if (s == null) {
            metrics.inc("ferry_northbound_dropped_total", "reason", "bad_state_message");
            RemoteLog.warn("northbound:state", "northbound: unreadable STATE message {}",
                    RemoteLog.excerpt(new String(payload, StandardCharsets.UTF_8)));
            return;
        }
        if (s.timestamp() < primaryTs) {
            return;              // an older session's STATE (a late Will): ignored
        }
        primaryTs = s.timestamp();
        primaryOnline = s.online();
        if (s.online() && state == State.WAITING_PRIMARY) {
            birth();
        } else if (!s.online() && state == State.BORN) {
            Logger.info("northbound: primary host {} went OFFLINE: NDEATH and reconnect", cfg.primaryHost().get());
            Wire.Out d = wire.sessionDeath(bdSeq);
            link.publish(d.topic(), d.payload(), d.qos(), d.retain(), null, ok -> { });
            link.disconnect();
            state = State.DISCONNECTED;
            connection++;
            inflight = 0;
            queue.rewind();
            loop.after(cfg.reconnectMinMs(), this::connect);
        }
    }

    /** Queues a record; drops are counted by reason. Returns whether it was stored. */
    boolean append(byte kind, String key, long producedMs, byte[] payload) {
        DiskQueue.Appended a;
        try {
            a = queue.append(kind, key, producedMs, payload);
        } catch (IOException e) {
            metrics.inc("ferry_northbound_dropped_total", "reason", "disk_error");
            RemoteLog.warn("northbound:disk", "northbound: cannot queue a message: {}", e.getMessage());
            return false;
        }
        switch (a) {
            case STORED_DROPPED_OLDEST -> metrics.inc("ferry_northbound_dropped_total", "reason", "queue_full_oldest");
            case REFUSED_FULL -> metrics.inc("ferry_northbound_dropped_total", "reason", "queue_full_newest");
            case REFUSED_TOO_LARGE -> metrics.inc("ferry_northbound_dropped_total", "reason", "too_large");
            default -> { }
        }
        if (a == DiskQueue.Appended.REFUSED_FULL || a == DiskQueue.Appended.REFUSED_TOO_LARGE) {
            RemoteLog.warn("northbound:full", "northbound: queue full ({} bytes): refused a message for {}",
                    queue.bytes(), RemoteLog.excerpt(key));
            refreshGauges();
            return false;
        }
        metrics.inc("ferry_northbound_queued_total");
        refreshGauges();
        pump();
        return true;
    }

    /** Whether a session is open (births sent): births and deaths of groups are queued only then. */
    boolean born() {
        return state == State.BORN;
    }

    /** Sends queued records while the session is open and the in-flight window has room. */
    void pump() {
        if (state != State.BORN) {
            return;
        }
        try {
            while (inflight < inflightLimit) {
                DiskQueue.Entry e = queue.next();
                if (e == null) {
                    break;
                }
                boolean historical = e.id() < sessionFirstId;
                if (historical && e.kind() != Wire.DATA) {
                    queue.ack(e.id());     // a birth or death of an earlier session
                    continue;
                }
                Wire.Out o = wire.finish(e, historical, seq, System.currentTimeMillis());
                if (wire.sequenced()) {
                    seq = (seq + 1) & 0xFF;
                }
                inflight++;
                int conn = connection;
                long id = e.id();
                link.publish(o.topic(), o.payload(), o.qos(), o.retain(), null,
                        ok -> loop.postCritical(() -> published(conn, id, ok, historical, o.counted())));
            }
        } catch (IOException e) {
            metrics.inc("ferry_northbound_dropped_total", "reason", "disk_error");
            Logger.error(e, "northbound: cannot read the queue");
        }
        refreshGauges();
    }

    private void published(int conn, long id, boolean ok, boolean historical, boolean counted) {
        if (conn != connection) {
            return;                 // an old connection's completion; the record is sent again
        }
        inflight--;
        if (!ok) {
            onLost("publish not acknowledged");
            return;
        }
        try {
            queue.ack(id);
        } catch (IOException e) {
            Logger.error(e, "northbound: cannot record an acknowledgement");
        }
        if (counted) {
            metrics.inc(historical ? "ferry_northbound_replayed_total" : "ferry_northbound_published_total");
        }
        pump();
    }

    /** Publishes a message outside the queue (command results); false when not connected. */
    boolean publishNow(String topic, byte[] payload, int qos, MqttProperties props) {
        if (state != State.BORN) {
            return false;
        }
        link.publish(topic, payload, qos, false, props, ok -> { });
        return true;
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
        queueDepth = queue.depth();
        queueBytes = queue.bytes();
    }

    State state() {
        return state;
    }

    long queueDepth() {
        return queueDepth;
    }

    long queueBytes() {
        return queueBytes;
    }

    long queueMaxBytes() {
        return queue.maxBytes();
    }

    long bdSeq() {
        return bdSeq;
    }

    String lastError() {
        return lastError;
    }

    long bornAtMs() {
        return bornAtMs;
    }

    /** Intentional end: NDEATH (Sparkplug) or status offline, DISCONNECT, queue forced to the disk. */
    void close() {
        if (state == State.BORN) {
            Wire.Out d = wire.sessionDeath(bdSeq);
            link.publish(d.topic(), d.payload(), d.qos(), d.retain(), null, ok -> { });
        }
        state = State.CLOSED;
        if (link != null) {
            link.disconnect();
        }
        try {
            queue.close();
        } catch (IOException e) {
            Logger.warn("northbound: closing the queue: {}", e.getMessage());
        }
    }

    /** The broker's view of a primary host (Sparkplug 3.0 STATE JSON). */
    record PrimaryState(boolean online, long timestamp) {
        static PrimaryState parse(byte[] json) {
            try (com.fasterxml.jackson.core.JsonParser p = dev.ferry.edge.runtime.Json.factory().createParser(json)) {
                if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                    return null;
                }
                Boolean online = null;
                Long ts = null;
                for (var t = p.nextToken(); t == com.fasterxml.jackson.core.JsonToken.FIELD_NAME; t = p.nextToken()) {
                    String n = p.currentName();
                    var v = p.nextToken();
                    if (n.equals("online") && v.isBoolean()) {
                        online = p.getBooleanValue();
                    } else if (n.equals("timestamp") && v == com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT) {
                        ts = p.getLongValue();
                    } else {
                        p.skipChildren();
                    }
                }
                return online == null || ts == null ? null : new PrimaryState(online, ts);
            } catch (IOException e) {
                return null;
            }
        }
    }

    List<String> subscriptions() {
        return wire.subscriptions();
    }
}

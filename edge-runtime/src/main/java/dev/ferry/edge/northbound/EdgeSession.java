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
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.tinylog.Logger;

/**
 * The MQTT session of northbound, on the engine thread: connecting (and reconnecting with
 * backoff, each CONNECT with a new bdSeq in its Will), waiting for the primary host when one is
 * configured ({@link PrimaryHost}), opening a session with its births, and handing the queue
 * ({@link QueueDrain}) the open connection. A refusal that retrying soon cannot cure (bad user
 * name or password, client id refused, not authorized, a TLS handshake that fails, unusable TLS
 * or password files, the session taken over by another client with the same client id) waits
 * {@code reconnect_max_ms} before the next try and is counted by reason in
 * {@code ferry_northbound_refusals_total}. A connection counts as a success only once it lasted
 * {@value #STABLE_MS} ms: until then the backoff keeps growing, so that two nodes sharing a
 * client id (which take the session from each other; Mosquitto closes the old connection without
 * saying why) settle to one attempt per {@code reconnect_max_ms}, and after three such
 * connections in a row the hint says so. Every failure is shown with a hint in
 * {@link #lastError()} and logged at most once a second per kind. Nothing queued is touched by a
 * failed connection.
 *
 * <pre>
 *   DISCONNECTED ──connect──▶ CONNECTING ──CONNACK+SUBACK──▶ WAITING_PRIMARY ──(primary ONLINE)──▶ BORN
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

    /** MQTT 5 reason codes after which trying again at once is pointless. */
    private static final int BAD_CLIENT_ID = 0x85;
    private static final int BAD_CREDENTIALS = 0x86;
    private static final int NOT_AUTHORIZED = 0x87;
    private static final int BANNED = 0x8A;
    private static final int BAD_AUTH_METHOD = 0x8C;
    private static final int SESSION_TAKEN_OVER = 0x8E;
    /** A connection that lasted less than this was not a success: the backoff goes on growing. */
    static final long STABLE_MS = 10_000;
    /** Pseudo reason: connections closed by the broker soon after it accepted them, several in a row. */
    private static final int UNSTABLE = 0x200;

    private final NorthboundConfig cfg;
    private final EngineLoop loop;
    private final Metrics metrics;
    private final Wire wire;
    private final QueueDrain drain;
    private final PrimaryHost primary;
    private final Path bdSeqFile;
    private final Supplier<Collection<Group>> established;
    private Inbound inbound;
    private MqttLink link;
    private volatile State state = State.DISCONNECTED;
    private volatile long bdSeq;
    private int connection;           // which connection an event belongs to
    private long backoffMs;
    private long connectedAtNanos;
    private int shortLived;           // connections in a row that the broker closed before STABLE_MS
    private volatile long retryAtMs;
    private volatile int failures;
    private volatile long bornAtMs;
    private volatile String lastError = "";

    EdgeSession(NorthboundConfig cfg, EngineLoop loop, Metrics metrics, Wire wire,
                Supplier<Collection<Group>> established) throws IOException {
        this.cfg = cfg;
        this.loop = loop;
        this.metrics = metrics;
        this.wire = wire;
        this.established = established;
        this.drain = new QueueDrain(cfg, metrics, loop, wire, reason -> onLost(reason, -1));
        this.primary = cfg.primaryHost().map(PrimaryHost::new).orElse(null);
        this.bdSeqFile = Path.of(cfg.queueDir()).resolve("bdseq");
        this.bdSeq = readBdSeq();
        this.backoffMs = cfg.reconnectMinMs();
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

            @Override public void connectFailed(String reason, int code) {
                loop.postCritical(() -> onLost("cannot connect: " + reason, code));
            }

            @Override public void lost(String reason, int code) {
                loop.postCritical(() -> onLost("connection lost: " + reason, code));
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
        retryAtMs = 0;
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
        connectedAtNanos = System.nanoTime();
        failures = 0;                 // shown while connected; the backoff waits for a lasting connection
        lastError = "";
        drain.connected(link, Math.min(cfg.maxInflight(), receiveMaximum));
        Logger.info("northbound: connected to {} (bdSeq {})", link.uri(), bdSeq);
        if (primary != null && !primary.online()) {
            state = State.WAITING_PRIMARY;
            Logger.info("northbound: waiting for primary host {} to be ONLINE", primary.id());
            return;
        }
        birth();
    }

    /** Opens a Sparkplug session (or a plain one): births, then the queue from its head. */
    private void birth() {
        long now = System.currentTimeMillis();
        for (Wire.Out o : wire.sessionBirth(bdSeq, established.get(), now)) {
            link.publish(o.topic(), o.payload(), o.qos(), o.retain(), null, code -> { });
        }
        state = State.BORN;
        bornAtMs = now;
        metrics.inc("ferry_northbound_births_total");
        drain.born();
    }

    /** Node Control/Rebirth: births again with the same bdSeq. */
    void rebirth() {
        if (state == State.BORN) {
            Logger.info("northbound: rebirth requested");
            birth();
        }
    }

    private void onLost(String reason, int code) {
        if (state == State.CLOSED || state == State.DISCONNECTED) {
            return;
        }
        boolean wasUp = state == State.BORN || state == State.WAITING_PRIMARY;
        connection++;                 // events of the old connection are ignored
        drain.stopped();
        link.drop();
        state = State.DISCONNECTED;
        if (wasUp && System.nanoTime() - connectedAtNanos >= TimeUnit.MILLISECONDS.toNanos(STABLE_MS)) {
            backoffMs = cfg.reconnectMinMs();       // it was a success: start again from the shortest wait
            shortLived = 0;
        } else if (wasUp && ++shortLived >= 3 && code < 0) {
            code = UNSTABLE;          // e.g. Mosquitto closes a taken-over session without a DISCONNECT
        }
        failures++;
        long wait = backoffMs;
        backoffMs = Math.min(cfg.reconnectMaxMs(), backoffMs * 2);
        String hint = hint(code);
        if (hint != null && code != UNSTABLE) {
            wait = cfg.reconnectMaxMs();
        }
        if (hint != null) {
            metrics.inc("ferry_northbound_refusals_total", "reason", hint.substring(0, hint.indexOf(':')));
        }
        String advice = hint == null ? "" : "; " + hint.substring(hint.indexOf(':') + 2);
        lastError = reason + advice;
        retryAtMs = System.currentTimeMillis() + wait;
        RemoteLog.warn("northbound:lost:" + (hint == null ? "other" : code), "northbound: {}{}; retrying in {} ms",
                RemoteLog.excerpt(reason), advice, wait);
        loop.after(wait, this::connect);
    }

    /** A reason and an operator's hint for the refusals that retrying soon cannot cure, or null. */
    private String hint(int code) {
        return switch (code) {
            case BAD_CLIENT_ID -> "client_id_refused: the broker does not accept client id '" + cfg.clientId() + "'";
            case BAD_CREDENTIALS -> "bad_credentials: check username and password_file";
            case NOT_AUTHORIZED -> "not_authorized: the broker refused this client; check username, password_file"
                    + " and the broker's rules for client id '" + cfg.clientId() + "'";
            case MqttLink.TLS_FAILED -> "tls: the TLS handshake failed; is ca_file the CA that signed the broker's"
                    + " certificate, and does that certificate name " + cfg.broker().host() + "?";
            case MqttLink.BAD_FILES -> "files: fix the file; it is read again at the next attempt";
            case BANNED -> "banned: the broker banned this client";
            case BAD_AUTH_METHOD -> "bad_auth_method: the broker wants another authentication";
            case SESSION_TAKEN_OVER -> "session_taken_over: another client connected with client id '"
                    + cfg.clientId() + "' (two nodes with the same client_id?)";
            case UNSTABLE -> "closed_after_connect: the broker closed " + shortLived + " connections in a row soon"
                    + " after accepting them: is another node using client id '" + cfg.clientId() + "' (two nodes"
                    + " with the same client_id?), or is a broker limit hit?";
            default -> null;
        };
    }

    private void onMessage(String topic, byte[] payload, MqttProperties props) {
        if (primary != null && topic.equals(primary.topic())) {
            primaryState(payload);
            return;
        }
        inbound.message(topic, payload, props);
    }

    /** STATE of the primary host: births on ONLINE, NDEATH and reconnect on OFFLINE. */
    private void primaryState(byte[] payload) {
        switch (primary.update(payload)) {
            case UNREADABLE -> {
                metrics.inc("ferry_northbound_dropped_total", "reason", "bad_state_message");
                RemoteLog.warn("northbound:state", "northbound: unreadable STATE message {}",
                        RemoteLog.excerpt(new String(payload, StandardCharsets.UTF_8)));
            }
            case ONLINE -> {
                if (state == State.WAITING_PRIMARY) {
                    birth();
                }
            }
            case OFFLINE -> {
                if (state == State.BORN) {
                    Logger.info("northbound: primary host {} went OFFLINE: NDEATH and reconnect", primary.id());
                    Wire.Out d = wire.sessionDeath(bdSeq);
                    link.publish(d.topic(), d.payload(), d.qos(), d.retain(), null, code -> { });
                    link.disconnect();
                    connection++;
                    drain.stopped();
                    state = State.DISCONNECTED;
                    loop.after(cfg.reconnectMinMs(), this::connect);
                }
            }
            default -> { }
        }
    }

    /** Queues a record (see {@link QueueDrain#append}). */
    boolean append(byte kind, String key, long producedMs, byte[] payload) {
        return drain.append(kind, key, producedMs, payload);
    }

    /** Whether a session is open (births sent): births and deaths of groups are queued only then. */
    boolean born() {
        return state == State.BORN;
    }

    /** Publishes a message outside the queue (command results); false when not connected. */
    boolean publishNow(String topic, byte[] payload, int qos, MqttProperties props) {
        if (state != State.BORN) {
            return false;
        }
        link.publish(topic, payload, qos, false, props, code -> { });
        return true;
    }

    /** Periodic: forces the queue to the disk (interval policy). */
    void sync() {
        drain.sync();
    }

    State state() {
        return state;
    }

    QueueDrain queue() {
        return drain;
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

    /** Connection attempts that failed, or connections that ended, since the last connection was made. */
    int failures() {
        return failures;
    }

    /** When the next connection attempt is due (wall clock ms), 0 when none is waiting. */
    long retryAtMs() {
        return state == State.DISCONNECTED ? retryAtMs : 0;
    }

    /** Intentional end: NDEATH (Sparkplug) or status offline, DISCONNECT, queue forced to the disk. */
    void close() {
        if (state == State.BORN) {
            Wire.Out d = wire.sessionDeath(bdSeq);
            link.publish(d.topic(), d.payload(), d.qos(), d.retain(), null, code -> { });
        }
        state = State.CLOSED;
        if (link != null) {
            link.disconnect();
        }
        drain.close();
    }

    List<String> subscriptions() {
        return wire.subscriptions();
    }
}

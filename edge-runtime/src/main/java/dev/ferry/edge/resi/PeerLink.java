package dev.ferry.edge.resi;

import dev.ferry.edge.config.PeerConfig;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.proto.resi.Envelope;
import dev.ferry.edge.proto.resi.Extension;
import dev.ferry.edge.route.Endpoint;
import dev.ferry.edge.route.Inbound;
import dev.ferry.edge.route.Meta;
import dev.ferry.edge.route.Router;
import dev.ferry.edge.transport.Transport;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import io.netty.channel.EventLoopGroup;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.tinylog.Logger;

/**
 * A RESI link to one peer gateway over N transports: the {@link Endpoint} the Router sees as
 * {@code peer:<id>}.
 *
 * <pre>
 *   Router ─ deliver(m) ─ seq = next ─ ResendBuffer (bounded; full ⇒ false ⇒ ERROR 503)
 *                                    └─ same bytes on every live transport ─┐
 *   transports: TCP/UDP ... each with handshake, ping/pong (PathHealth)    ├── peer
 *   Router ◀ listener ◀ in order ◀ MergeWindow (permissive | strict) ◀─────┘
 *                      cumulative ack back (piggy-backed + bare acks) ⇒ sender frees/resends
 * </pre>
 *
 * <p>Guarantees: while one transport stays live, no accepted message is lost (unacknowledged
 * envelopes are resent on the surviving transports when a transport leaves the live set, on a
 * resend request and when no ack arrives in time); messages are handed to the listener once, in
 * the order they were accepted by the peer's {@link #deliver}. Every envelope carries an integrity
 * check ({@link EnvelopeCheck}); a copy that fails it is dropped and blamed on its transport, and
 * the copy it should have been is asked for again on that transport alone ({@link GapRepair}).
 * Strict mode never hands over a copy that differs from another copy of it (both are dropped,
 * counted, and asked for again). A transport leaves the live set (strict mode stops waiting for
 * it; logged once per change, counted) when its pongs stop for
 * {@code dead_after_pings × ping_interval_ms}, or when its copies keep failing their check
 * ({@code max_bad_copies}, {@link PathIntegrity}); it rejoins when pongs return or it carries
 * good envelopes again. Resends on request and on timeout are bounded by {@code resend_rate}. A
 * peer with another major version or another node id is refused with a Result naming why.
 * Across a restart of either side delivery is at-least-once.
 *
 * <p>Thread-safe: transports call in on event loops, the Router from any thread; state is
 * guarded by this object's monitor; the listener is called outside it, one call at a time, in
 * order. Nothing here blocks an event loop.
 *
 * <p>The parts, all guarded by this monitor: {@link LinkPaths} (transports and their liveness),
 * {@link LinkHandshake} (handshakes, sessions, the peer's prefixes), {@link LinkSender}
 * (sequence numbers, resend buffer, ack timeout), {@link ReceiveWindow} (merge and acks),
 * {@link LinkReceive} (what each arrival does); {@link TransportEvents} takes the transports'
 * callbacks and {@link ListenerInbox} runs the listener calls.
 */
public final class PeerLink implements Endpoint, AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PeerConfig config;
    private final Path mount;
    private final LinkOptions options;
    private final EventLoopGroup group;
    private final LongSupplier clock;
    private final LinkCounters n = new LinkCounters();
    private final LinkMetrics metrics;
    private final LinkPaths paths;
    private final LinkSender sender;
    private final ReceiveWindow window;
    private final LinkHandshake handshake;
    private final ListenerInbox inbox;
    private final TransportEvents receiver;
    private int roomWaiters;
    private volatile boolean live;
    private volatile PeerListener listener;
    private ScheduledFuture<?> tick;
    private boolean started;
    private boolean closed;

    /**
     * @param config     the peer (its id is the node id expected in its handshake)
     * @param localNode  this node's id, announced in our handshake
     * @param mount      where the peer's paths appear here (see {@link PeerLinks#mountFor})
     * @param transports the peer's transports; transport i must have {@code index() == i}
     * @param group      event loops for housekeeping (the transports' group)
     */
    public PeerLink(PeerConfig config, String localNode, Path mount, List<Transport> transports,
                    EventLoopGroup group, LinkOptions options, LongSupplier clock) {
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(localNode, "localNode");
        this.mount = Objects.requireNonNull(mount, "mount");
        List<Transport> ts = List.copyOf(transports);
        this.group = Objects.requireNonNull(group, "group");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        paths = new LinkPaths(config, ts, n,
                TimeUnit.MILLISECONDS.toNanos(options.tickMillisFor(config.pingIntervalMs())));
        long session = RANDOM.nextLong() & Long.MAX_VALUE | 1;
        long firstSeq = 1 + (RANDOM.nextInt() & 0x7FFF_FFFFL);
        this.metrics = new LinkMetrics(config.id(), ts);
        sender = new LinkSender(config, options, paths, n, this.metrics, clock, firstSeq);
        window = new ReceiveWindow(config, options, paths, n, this.metrics);
        handshake = new LinkHandshake(config, localNode, options, group, n, sender, window, session);
        inbox = new ListenerInbox(this);
        receiver = new TransportEvents(this, clock);
    }

    @Override public String id() {
        return "peer:" + config.id();
    }

    @Override public Path mount() {
        return mount;
    }

    public PeerConfig config() {
        return config;
    }

    /** True while at least one transport carries envelopes (handshaken, answering pings). */
    @Override public boolean live() {
        return live;
    }

    /** {@link #startWith(Inbound.Attacher, ExtensionRelay)} attaching the link to {@code router} itself. */
    public void startWith(Router router, ExtensionRelay relay) {
        startWith((Inbound.Attacher) router::attachDirect, relay);
    }

    /**
     * Attaches this link with {@code attacher} (to the router, or behind shared observations) and
     * starts it: arrivals and the link going down or up go to the {@link Inbound} it returned,
     * extensions to pass on to {@code relay} (null: none are passed on).
     */
    public void startWith(Inbound.Attacher attacher, ExtensionRelay relay) {
        start(new RouterListener(attacher.attach(this), relay));
    }

    /**
     * Exports the link's counters ({@link LinkMetrics}: {@code ferry_resi_*{peer=...}}) to
     * {@code m}; until then they count into a registry of the link's own. Before {@link #start}
     * only (IllegalStateException after).
     */
    public synchronized void exportMetrics(Metrics m) {
        if (started) {
            throw new IllegalStateException(id() + " already started");
        }
        metrics.bind(Objects.requireNonNull(m, "metrics"));
    }

    /** Starts the transports and housekeeping. Throws IllegalStateException if started twice. */
    public void start(PeerListener l) {
        synchronized (this) {
            if (started) {
                throw new IllegalStateException(id() + " already started");
            }
            started = true;
            listener = Objects.requireNonNull(l, "listener");
            sender.started();
        }
        for (Transport t : paths.transports()) {
            t.setReceiver(receiver);
        }
        for (Transport t : paths.transports()) {
            t.start();
        }
        long period = options.tickMillisFor(config.pingIntervalMs());
        ScheduledFuture<?> f = group.next().scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
        synchronized (this) {
            tick = f;
        }
        Logger.info("peer {}: link started ({} mode, {} transports)", config.id(),
                config.mode().name().toLowerCase(java.util.Locale.ROOT), paths.size());
    }

    @Override public void close() {
        ScheduledFuture<?> f;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            live = false;
            f = tick;
            notifyAll();
        }
        if (f != null) {
            f.cancel(false);
        }
        for (Transport t : paths.transports()) {
            t.stop();
        }
    }

    /** Sends {@code m} to the peer; false when the link is down or its resend buffer is full. */
    @Override public boolean deliver(Message m) {
        return send(Envelope.newBuilder().setRp(ResiCodec.toProto(m)));
    }

    /** Like {@link #deliver(Message)}, with {@code meta}'s cache hints and freshness (not its principal). */
    @Override public boolean deliver(Message m, Meta meta) {
        return send(Envelope.newBuilder().setRp(ResiCodec.toProto(m, meta)));
    }

    /** Sends a Modify request carrying {@code ext}; false like {@link #deliver}. */
    public boolean modify(Extension ext) {
        return send(Envelope.newBuilder().setModify(Envelopes.request(ext)));
    }

    /** Sends a Modify request naming its origin and hops (one passed on, {@link ExtensionRelay}); false like {@link #deliver}. */
    public boolean modify(Extension ext, String origin, long originSeq, int hops) {
        return send(Envelope.newBuilder().setModify(Envelopes.request(ext, origin, originSeq, hops)));
    }

    private boolean send(Envelope.Builder b) {
        byte[] body = SequencedEnvelope.body(b); // encoded outside the lock
        synchronized (this) {
            return sendSequenced(body);
        }
    }

    /**
     * Replaces the route prefixes this gateway offers (intents) and wants (interests) after the
     * handshake: sends Intents and Interests (whole lists) on every handshaken transport at once,
     * and every later handshake carries them. Each change is versioned, so the peer keeps the
     * newest even when copies arrive out of order across transports; the peer shows them as
     * {@code peerOffers}/{@code peerWants} in its {@link #health()}. Not acknowledged: a change
     * lost on every transport reaches the peer with the next handshake (reconnect). What the peer
     * may reach here ({@link #offered()}) changes at once.
     *
     * @throws IllegalArgumentException for more than 256 prefixes in a list, or one that is not
     *     an RP path
     */
    public void advertise(List<String> offers, List<String> wants) {
        List<String> o = List.copyOf(offers);
        List<String> w = List.copyOf(wants);
        synchronized (this) {
            for (byte[] env : handshake.advertise(o, w)) {
                paths.sendOnHandshaken(env);
            }
        }
    }

    /**
     * The prefixes this node offers the peer now (configuration, or the last {@link #advertise}),
     * in this node's namespace: what the peer may reach here (see
     * {@code dev.ferry.edge.security.PeerAccess}). Safe from any thread.
     */
    public List<Path> offered() {
        return handshake.offered();
    }

    /**
     * Waits (never on an event loop) until the resend buffer has room (waiters are woken once a
     * quarter of it is free) or the link is down, at most
     * {@code timeoutMillis}. For producers that prefer waiting to handling {@code false}.
     *
     * @return true if there is room now
     */
    public synchronized boolean awaitRoom(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        roomWaiters++;
        try {
            while (sender.isFull() && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return !sender.isFull();
        } finally {
            roomWaiters--;
        }
    }

    /** Sends a sequenced control envelope (a Modify response) from under the lock. */
    void deliverControl(Envelope.Builder b) {
        sendSequenced(SequencedEnvelope.body(b));
    }

    private boolean sendSequenced(byte[] body) {
        if (!live || closed) {
            n.refusedDown++;
            return false;
        }
        if (!sender.send(body, window.delivered())) {
            return false;
        }
        window.piggybacked();
        return true;
    }

    // ---- package-private access for LinkReceive, TransportEvents (under the lock) ---------

    LinkOptions options() {
        return options;
    }

    LinkCounters counters() {
        return n;
    }

    LinkMetrics metrics() {
        return metrics;
    }

    LinkPaths paths() {
        return paths;
    }

    LinkSender sender() {
        return sender;
    }

    ReceiveWindow window() {
        return window;
    }

    LinkHandshake handshake() {
        return handshake;
    }

    PeerListener listener() {
        return listener;
    }

    /** The listener calls: posted under the lock, run outside it ({@link ListenerInbox}). */
    ListenerInbox inbox() {
        return inbox;
    }

    boolean isClosed() {
        return closed;
    }

    /** Runs {@code r} on the link's event loop after the current task: outside the lock, never re-entering it. */
    void later(Runnable r) {
        group.next().execute(r);
    }

    /** The peer's cumulative ack: frees resend buffer space and wakes {@link #awaitRoom}. */
    void ackReceived(long ack) {
        if (sender.ackReceived(ack) && roomWaiters > 0 && sender.roomForWaiters()) {
            notifyAll();
        }
    }

    /** Re-evaluates whether the link is up (some transport carries); tells the listener on a change. */
    void updateLive(String reason) {
        boolean now = paths.carryMask() != 0 && !closed;
        if (now != live) {
            live = now;
            Logger.info("peer {}: link {} ({})", config.id(), now ? "up" : "down", reason);
            PeerListener l = listener;
            inbox.post(() -> l.onLiveChanged(this, now, reason));
            if (!now) {
                notifyAll();
            }
        }
    }

    // ---- housekeeping ---------------------------------------------------------------------

    private void tick() {
        try {
            synchronized (this) {
                if (closed) {
                    return;
                }
                long now = clock.getAsLong();
                for (int i = 0; i < paths.size(); i++) {
                    LinkReceive.tickPath(this, paths.transport(i), paths.path(i), now);
                }
                window.tick(now);
                sender.tick(now);
            }
            inbox.run();
        } catch (RuntimeException e) {
            Logger.error(e, "peer {}: housekeeping failed", config.id());
        }
    }

    /** A consistent snapshot for {@code /#runtime/peers/<id>}. */
    public synchronized LinkHealth health() {
        return LinkHealth.of(this, clock.getAsLong());
    }

    /** The transports, in configuration order. */
    public List<Transport> transports() {
        return paths.transports();
    }
}

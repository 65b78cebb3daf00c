package dev.ferry.edge.resi;

import dev.ferry.edge.config.PeerConfig;
import dev.ferry.edge.proto.resi.Envelope;
import dev.ferry.edge.proto.resi.Extension;
import dev.ferry.edge.proto.resi.Handshake;
import dev.ferry.edge.proto.resi.Result;
import dev.ferry.edge.route.Endpoint;
import dev.ferry.edge.route.Router;
import dev.ferry.edge.transport.Transport;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import io.netty.channel.EventLoopGroup;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * the order they were accepted by the peer's {@link #deliver}. Strict mode never hands over a
 * copy that differs from another copy of it: both are dropped, counted, logged naming the two
 * transports, and a resend is requested (a fault that corrupts every copy keeps being retried and
 * counted; it is never delivered). A transport whose pongs stop for
 * {@code dead_after_pings × ping_interval_ms} leaves the live set (strict degrades, logged) and
 * rejoins when pongs return. A peer with another major version or another node id is refused
 * with a Result naming why. Across a restart of either side delivery is at-least-once.
 *
 * <p>Thread-safe: transports call in on event loops, the Router from any thread; state is
 * guarded by this object's monitor; the listener is called outside it, one call at a time, in
 * order. Nothing here blocks an event loop.
 */
public final class PeerLink implements Endpoint, AutoCloseable {
    /** Where the link hands what arrived. Calls are serialised and never hold the link's lock. */
    public interface Listener {
        void onMessage(PeerLink link, Message m);

        /** An extension the link does not know and the peer marked pass = true. */
        default void onExtension(PeerLink link, Extension ext) { }

        default void onLiveChanged(PeerLink link, boolean live, String reason) { }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_PREFIXES = 256;

    private final PeerConfig config;
    private final String localNode;
    private final Path mount;
    private final LinkOptions options;
    private final List<Transport> transports;
    private final PathHealth[] paths;
    private final EventLoopGroup group;
    private final LongSupplier clock;
    private final ResendBuffer resend;
    private final MergeWindow<Envelope> merge;
    private final long session;
    private final Queue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inboxWork = new AtomicInteger();
    private final LinkCounters n = new LinkCounters();
    private final Receiver receiver = new Receiver();
    private long nextSeq;
    private long peerSession;
    private List<String> peerOffers = List.of();
    private List<String> peerWants = List.of();
    private long lastAckProgress;
    private int deliveredSinceAck;
    private boolean ackPending;
    private int roomWaiters;
    private String lastRefusal;
    private volatile boolean live;
    private volatile Listener listener;
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
        this.localNode = Objects.requireNonNull(localNode, "localNode");
        this.mount = Objects.requireNonNull(mount, "mount");
        this.transports = List.copyOf(transports);
        this.group = Objects.requireNonNull(group, "group");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (this.transports.isEmpty() || this.transports.size() > 64) {
            throw new IllegalArgumentException("a peer link needs 1..64 transports");
        }
        paths = new PathHealth[this.transports.size()];
        for (int i = 0; i < paths.length; i++) {
            if (this.transports.get(i).index() != i) {
                throw new IllegalArgumentException("transport " + i + " has index " + this.transports.get(i).index());
            }
            paths[i] = new PathHealth(TimeUnit.MILLISECONDS.toNanos(config.pingIntervalMs()),
                    config.deadAfterPings(), TimeUnit.MILLISECONDS.toNanos(config.handshakeTimeoutMs()));
        }
        resend = new ResendBuffer(config.resendBuffer());
        merge = new MergeWindow<>(config.mode(), config.dupWindow(), paths.length, ResiCodec::sameContent);
        session = RANDOM.nextLong() & Long.MAX_VALUE | 1;
        nextSeq = 1 + (RANDOM.nextInt() & 0x7FFF_FFFFL);
    }

    @Override
    public String id() {
        return "peer:" + config.id();
    }

    @Override
    public Path mount() {
        return mount;
    }

    public PeerConfig config() {
        return config;
    }

    /** True while at least one transport is live (handshaken, answering pings). */
    @Override
    public boolean live() {
        return live;
    }

    /** Attaches this link to {@code router} and starts it, handing arrivals to the router. */
    public void startWith(Router router) {
        router.attach(this);
        start(new Listener() {
            @Override
            public void onMessage(PeerLink link, Message m) {
                router.send(link, m);
            }

            @Override
            public void onLiveChanged(PeerLink link, boolean up, String reason) {
                if (!up) {
                    router.endpointDown(link.id(), reason);
                }
            }
        });
    }

    /** Starts the transports and housekeeping. Throws IllegalStateException if started twice. */
    public void start(Listener l) {
        synchronized (this) {
            if (started) {
                throw new IllegalStateException(id() + " already started");
            }
            started = true;
            listener = Objects.requireNonNull(l, "listener");
            lastAckProgress = clock.getAsLong();
        }
        for (Transport t : transports) {
            t.setReceiver(receiver);
        }
        for (Transport t : transports) {
            t.start();
        }
        long period = options.tickMillisFor(config.pingIntervalMs());
        ScheduledFuture<?> f = group.next().scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
        synchronized (this) {
            tick = f;
        }
        Logger.info("peer {}: link started ({} mode, {} transports)", config.id(),
                config.mode().name().toLowerCase(java.util.Locale.ROOT), transports.size());
    }

    @Override
    public void close() {
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
        for (Transport t : transports) {
            t.stop();
        }
    }

    /** Sends {@code m} to the peer; false when the link is down or its resend buffer is full. */
    @Override
    public boolean deliver(Message m) {
        Envelope.Builder b = Envelope.newBuilder().setRp(ResiCodec.toProto(m));
        synchronized (this) {
            return sendSequenced(b);
        }
    }

    /** Sends a Modify request carrying {@code ext}; false like {@link #deliver}. */
    public boolean modify(Extension ext) {
        Envelope.Builder b = Envelope.newBuilder().setModify(Envelopes.request(ext));
        synchronized (this) {
            return sendSequenced(b);
        }
    }

    /**
     * Waits (never on an event loop) until the resend buffer has room or the link is down, at most
     * {@code timeoutMillis}. For producers that prefer waiting to handling {@code false}.
     *
     * @return true if there is room now
     */
    public synchronized boolean awaitRoom(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        roomWaiters++;
        try {
            while (resend.isFull() && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return !resend.isFull();
        } finally {
            roomWaiters--;
        }
    }

    /** Sends a sequenced control envelope (a Modify response) from under the lock. */
    void deliverControl(Envelope.Builder b) {
        sendSequenced(b);
    }

    private boolean sendSequenced(Envelope.Builder b) {
        if (!live || closed) {
            n.refusedDown++;
            return false;
        }
        if (resend.isFull()) {
            if (n.backpressure++ % 1000 == 0) {
                Logger.debug("peer {}: resend buffer full ({}), refusing", config.id(), resend.capacity());
            }
            return false;
        }
        long seq = nextSeq;
        byte[] bytes = b.setSeq(seq).setAck(merge.delivered()).build().toByteArray();
        if (bytes.length > options.maxEnvelope()) {
            n.tooLong++;
            return false;
        }
        nextSeq++;
        if (resend.size() == 0) {
            lastAckProgress = clock.getAsLong();
        }
        resend.add(seq, bytes);
        n.sent++;
        sendOnLive(bytes);
        deliveredSinceAck = 0;
        ackPending = false;
        return true;
    }

    private void sendOnLive(byte[] bytes) {
        for (int i = 0; i < paths.length; i++) {
            if (paths[i].isLive() && !transports.get(i).send(bytes)) {
                n.sendRefused++;
            }
        }
    }

    private long liveMask() {
        long m = 0;
        for (int i = 0; i < paths.length; i++) {
            if (paths[i].isLive()) {
                m |= 1L << i;
            }
        }
        return m;
    }

    private String liveNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < paths.length; i++) {
            if (paths[i].isLive()) {
                names.add(transports.get(i).name());
            }
        }
        return names.toString();
    }

    // ---- receive side -------------------------------------------------------------------

    private void onEnvelope(Transport t, byte[] bytes) {
        Envelope env;
        try {
            env = Envelope.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            garbage(t, "unparseable envelope of " + bytes.length + " bytes (" + e.getMessage() + ")");
            return;
        }
        synchronized (this) {
            if (!closed) {
                LinkReceive.handle(this, t, env, clock.getAsLong());
            }
        }
        runInbox();
    }

    private void garbage(Transport t, String reason) {
        synchronized (this) {
            n.garbage++;
        }
        Logger.warn("peer {}: garbage on {}: {}{}", config.id(), t.name(), reason,
                t.isStream() ? "; resetting the connection" : "; dropped");
        if (t.isStream()) {
            t.reset("garbage envelope");
        }
    }

    /** Queues a listener call; run in order, outside the lock, by {@link #runInbox}. */
    void post(Runnable r) {
        inbox.add(r);
    }

    private void runInbox() {
        if (inboxWork.getAndIncrement() != 0) {
            return;
        }
        do {
            Runnable r;
            while ((r = inbox.poll()) != null) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    Logger.error(e, "peer {}: listener failed", config.id());
                }
            }
        } while (inboxWork.decrementAndGet() != 0);
    }

    // ---- package-private state access for LinkReceive (called under the lock) -------------

    PeerConfig cfg() {
        return config;
    }

    LinkOptions options() {
        return options;
    }

    LinkCounters counters() {
        return n;
    }

    PathHealth path(int i) {
        return paths[i];
    }

    MergeWindow<Envelope> merge() {
        return merge;
    }

    Listener listener() {
        return listener;
    }

    void sendHandshake(Transport t, boolean reply) {
        long first = resend.size() > 0 ? resend.oldest() : nextSeq;
        t.send(Envelopes.handshake(options.versionMajor(), options.versionMinor(), localNode,
                options.extensions(), config.offers(), config.wants(), session, first, reply, merge.delivered()));
    }

    void refuse(Transport t, Result.Code code, String reason) {
        n.refusals++;
        lastRefusal = reason;
        Logger.warn("peer {}: refusing the peer on {}: {}", config.id(), t.name(), reason);
        t.send(Envelopes.result(code, reason, 0));
        group.next().schedule(() -> t.reset(reason), 100, TimeUnit.MILLISECONDS);
    }

    void refusedBy(Transport t, String reason) {
        n.refusals++;
        lastRefusal = "refused by peer: " + reason;
        Logger.warn("peer {}: the peer refused us on {}: {}", config.id(), t.name(), reason);
    }

    /** Handshake fields of a (possibly new) peer session; resets the merge on a restart. */
    void peerHandshake(Handshake hs) {
        if (hs.getSession() != peerSession) {
            if (peerSession != 0) {
                Logger.info("peer {}: peer restarted (new session); receive window reset", config.id());
            }
            peerSession = hs.getSession();
            merge.reset(Math.max(0, hs.getFirstSeq() - 1));
            deliveredSinceAck = 0;
        }
        setPeerOffers(hs.getOffersList());
        setPeerWants(hs.getWantsList());
    }

    void setPeerOffers(List<String> offers) {
        peerOffers = List.copyOf(offers.subList(0, Math.min(MAX_PREFIXES, offers.size())));
    }

    void setPeerWants(List<String> wants) {
        peerWants = List.copyOf(wants.subList(0, Math.min(MAX_PREFIXES, wants.size())));
    }

    List<String> peerOffers() {
        return peerOffers;
    }

    List<String> peerWants() {
        return peerWants;
    }

    void ackReceived(long ack) {
        if (resend.size() == 0 || ack < resend.oldest() || ack >= nextSeq) {
            return; // nothing to free, or a stale ack from another session of ours
        }
        if (resend.ack(ack) > 0) {
            lastAckProgress = clock.getAsLong();
            if (roomWaiters > 0) {
                notifyAll();
            }
        }
    }

    /** Sequenced envelopes released by the merge: counted, acked, handed to the listener. */
    void released(List<Envelope> ready) {
        if (ready.isEmpty()) {
            return;
        }
        for (Envelope e : ready) {
            n.delivered++;
            LinkReceive.release(this, e);
        }
        deliveredSinceAck += ready.size();
        ackPending = true;
        if (deliveredSinceAck >= options.ackEvery()) {
            sendAck();
        }
    }

    void requestAck() {
        ackPending = true;
    }

    void sendAck() {
        byte[] a = Envelopes.ack(merge.delivered());
        for (int i = 0; i < paths.length; i++) {
            if (paths[i].handshaken()) {
                transports.get(i).send(a);
            }
        }
        deliveredSinceAck = 0;
        ackPending = false;
    }

    void resendOne(long seq) {
        byte[] b = resend.get(seq);
        if (b != null) {
            n.resends++;
            sendOnLive(b);
        }
    }

    /** A path joined the live set: it gets every unacknowledged envelope. */
    void pathJoined(Transport t, String why) {
        resend.forEach((seq, bytes) -> t.send(bytes));
        n.resends += resend.size();
        Logger.info("peer {}: transport {} joined the live set ({}); live: {}", config.id(), t.name(), why, liveNames());
        updateLive(why);
    }

    /** A path left the live set: resend what is unacknowledged, re-evaluate strict waits. */
    void pathLost(Transport t, String why) {
        Logger.warn("peer {}: transport {} left the live set ({}); {} continues on {}", config.id(), t.name(), why,
                config.mode().name().toLowerCase(java.util.Locale.ROOT), liveNames());
        resend.forEach((seq, bytes) -> sendOnLive(bytes));
        n.resends += resend.size();
        List<Envelope> ready = new ArrayList<>();
        merge.liveChanged(liveMask(), ready);
        released(ready);
        updateLive(why);
    }

    long liveMaskNow() {
        return liveMask();
    }

    private void updateLive(String reason) {
        boolean now = liveMask() != 0 && !closed;
        if (now != live) {
            live = now;
            Logger.info("peer {}: link {} ({})", config.id(), now ? "up" : "down", reason);
            Listener l = listener;
            post(() -> l.onLiveChanged(this, now, reason));
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
                for (int i = 0; i < paths.length; i++) {
                    LinkReceive.tickPath(this, transports.get(i), paths[i], now);
                }
                if (ackPending) {
                    sendAck();
                }
                if (resend.size() > 0 && now - lastAckProgress > ackTimeoutNanos() && liveMask() != 0) {
                    n.resends += resend.size();
                    n.ackTimeouts++;
                    resend.forEach((seq, bytes) -> sendOnLive(bytes));
                    lastAckProgress = now;
                }
            }
            runInbox();
        } catch (RuntimeException e) {
            Logger.error(e, "peer {}: housekeeping failed", config.id());
        }
    }

    private long ackTimeoutNanos() {
        long rtt = 0;
        for (PathHealth p : paths) {
            if (p.isLive()) {
                rtt = Math.max(rtt, p.rttNanos());
            }
        }
        return Math.max(TimeUnit.MILLISECONDS.toNanos(options.ackTimeoutMillis()), 4 * rtt);
    }

    /** A consistent snapshot for {@code /#runtime/peers/<id>}. */
    public synchronized LinkHealth health() {
        List<LinkHealth.TransportHealth> ts = new ArrayList<>();
        for (int i = 0; i < paths.length; i++) {
            PathHealth p = paths[i];
            ts.add(new LinkHealth.TransportHealth(transports.get(i).name(), transports.get(i).state().name(),
                    p.handshaken(), p.isLive(), p.rttNanos() < 0 ? -1 : p.rttNanos() / 1000, p.loss(),
                    p.pingsSent(), p.pongsReceived()));
        }
        return new LinkHealth(config.id(), config.mode().name().toLowerCase(java.util.Locale.ROOT), live,
                peerOffers, peerWants, ts, n.sent, n.delivered, merge.copiesMerged(), merge.duplicates(),
                merge.mismatches(), merge.outOfWindow(), n.resends, resend.size(), merge.held(), n.backpressure,
                n.garbage, n.handshakeTimeouts, n.refusals, n.extensionsPassed, n.extensionsDropped, lastRefusal);
    }

    /** The transports, in configuration order. */
    public List<Transport> transports() {
        return transports;
    }

    /** Transport callbacks, serialised into the link. */
    private final class Receiver implements Transport.Receiver {
        @Override
        public void onEnvelope(Transport t, byte[] envelope) {
            PeerLink.this.onEnvelope(t, envelope);
        }

        @Override
        public void onState(Transport t, Transport.State state, String reason) {
            synchronized (PeerLink.this) {
                if (!closed) {
                    LinkReceive.transportState(PeerLink.this, t, state, reason, clock.getAsLong());
                }
            }
            runInbox();
        }

        @Override
        public void onGarbage(Transport t, String reason) {
            garbage(t, reason);
        }
    }
}

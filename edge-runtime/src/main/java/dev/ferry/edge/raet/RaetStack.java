package dev.ferry.edge.raet;

import dev.ferry.edge.config.SecurityConfig;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.tinylog.Logger;

/**
 * The RAET protocol engine without sockets or threads: datagrams in ({@link #onDatagram}), datagrams
 * out ({@link Wire}), timers driven by {@link #tick} with caller-supplied nanosecond times. One
 * stack per transport; all calls on one thread.
 *
 * <pre>
 *   onDatagram ─ PacketCodec.decode ─┬─ JOIN/JOIN_ACK/ACCEPT/REFUSE ─ Bootstrap (BootPackets: signed, si = 0)
 *                                    └─ Session.open (CRC | Ed25519 | AEAD, replay) ─ Transactions
 *   sendMaybe/sendOnce/sendSequenced/request ─ Transactions ─ Session.seal ─ Wire
 * </pre>
 *
 * Bootstrap (RAET.md 5.2): the joiner (connecting side) sends JOIN with session id 0 carrying its
 * Ed25519 and fresh X25519 public keys; the acceptor answers JOIN_ACK, then ACCEPT with the new
 * session id and its keys; the joiner's first session packet (an ACK) ends the acceptor's
 * retries. A packet for an unknown session makes the acceptor send REFUSE; the joiner rejoins.
 * The handshake lives in the package-private {@code Bootstrap}; this class owns the session.
 */
public final class RaetStack {
    /** Where datagrams go. */
    public interface Wire {
        void send(byte[] datagram, InetSocketAddress to);
    }

    /** What the stack hands up; called on the stack's thread. */
    public interface Listener {
        void onMessage(ServiceKind kind, byte[] body);

        /** Kind D: the response to a request (may be empty). */
        default byte[] onRequest(byte[] body) {
            return new byte[0];
        }

        void onSession(boolean up, String reason);

        /** Kind C bytes accepted by {@link #sendSequenced} left the stack (acknowledged or dropped). */
        default void onReleased(int bytes, boolean delivered) { }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final boolean joiner;
    private final RaetOptions o;
    private final Wire wire;
    private final Listener listener;
    private final RaetCounters counters;
    private final int maxQueuedMessages;
    private final long localDevice = 1 + (RANDOM.nextInt() & 0x7FFF_FFFFL);
    private final Bootstrap bootstrap;
    private InetSocketAddress remote;
    private Session session;
    private Transactions tx;
    private boolean started;

    /**
     * @param remote the acceptor's address for a joiner; null for an acceptor (learnt from JOIN)
     */
    public RaetStack(InetSocketAddress remote, RaetKeys keys, RaetOptions options, Wire wire, Listener listener,
                     RaetCounters counters, int maxQueuedMessages) {
        this.joiner = remote != null;
        this.remote = remote;
        this.o = options;
        this.wire = wire;
        this.listener = listener;
        this.counters = counters;
        this.maxQueuedMessages = maxQueuedMessages;
        SecurityConfig.Mode mode = keys.mode();
        if (mode != SecurityConfig.Mode.OPEN && keys.identity().isEmpty()) {
            throw new IllegalArgumentException("mode " + mode + " needs a key pair");
        }
        BootPackets packets = new BootPackets(keys, wire, counters);
        this.bootstrap = new Bootstrap(joiner, keys, options, localDevice, packets, new BootHost());
    }

    /** A joiner sends its first JOIN; an acceptor waits. */
    public void start(long now) {
        started = true;
        bootstrap.join(now);
    }

    public boolean isUp() {
        return session != null;
    }

    public InetSocketAddress remote() {
        return remote;
    }

    public long sessionId() {
        return session == null ? 0 : session.si;
    }

    /** The current session's AEAD suite (encrypted mode), negotiated in the bootstrap. */
    public Optional<AeadSuite> suite() {
        return session == null ? Optional.empty() : Optional.ofNullable(session.suite());
    }

    /** How the current session protects packets: "open", "signed", a suite label; null without one. */
    public String protection() {
        return session == null ? null : session.protection();
    }

    public RaetCounters counters() {
        return counters;
    }

    // ---- sending -------------------------------------------------------------------------------

    public boolean sendMaybe(byte[] body, long now) {
        return tx != null && tx.sendMaybe(body, now);
    }

    public boolean sendOnce(byte[] body, boolean infinite, long now) {
        return tx != null && tx.sendOnce(body, infinite, now);
    }

    public boolean sendSequenced(byte[] message, long now) {
        return tx != null && tx.sendSequenced(message, now);
    }

    public CompletableFuture<byte[]> request(byte[] body, long now) {
        if (tx == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no session"));
        }
        return tx.request(body, now);
    }

    // ---- receiving -----------------------------------------------------------------------------

    public void onDatagram(byte[] d, int len, InetSocketAddress from, long now) {
        counters.received();
        PacketCodec.Decoded r = PacketCodec.decode(d, len);
        if (!r.ok()) {
            counters.drop(r.drop(), from);
            return;
        }
        Header h = r.frame().header();
        if (h.dd() != 0 && h.dd() != localDevice) {
            counters.drop(Drop.WRONG_DESTINATION, from);
            return;
        }
        Drop drop;
        switch (PacketKind.of(h.pk())) {
            case JOIN:
                drop = bootstrap.onJoin(r.frame(), from, now);
                break;
            case JOIN_ACK:
                drop = bootstrap.onJoinAck(r.frame());
                break;
            case ACCEPT:
                drop = bootstrap.onAccept(r.frame(), now);
                break;
            case REFUSE:
                drop = bootstrap.onRefuse(r.frame(), now);
                break;
            default:
                drop = onSessionPacket(r.frame(), from, now);
        }
        if (drop != null) {
            counters.drop(drop, from);
        }
    }

    /**
     * End of a read batch: sends the kind C status owed if it is due now (a gap, a duplicate, or
     * enough new segments); otherwise {@link #tick} sends it.
     */
    public void onBatchEnd(long now) {
        if (tx != null) {
            tx.flushStatus(now, true);
        }
    }

    public void tick(long now) {
        if (started && session == null) {
            bootstrap.tick(now);
        }
        if (tx != null) {
            tx.tick(now);
        }
    }

    /** Drops the session: a joiner rejoins at once, an acceptor waits for a JOIN. */
    public void reset(String reason, long now) {
        if (session != null) {
            endSession(reason);
        }
        if (started) {
            bootstrap.join(now);
        }
    }

    /** Ends the session without rejoining (transport stopped). */
    public void stop() {
        started = false;
        if (session != null) {
            endSession("stopped");
        }
    }

    private Drop onSessionPacket(PacketCodec.Frame f, InetSocketAddress from, long now) {
        Header h = f.header();
        if (session == null || h.si() != session.si) {
            bootstrap.refuse(h, from, now);
            return h.si() == 0 ? Drop.UNEXPECTED : Drop.UNKNOWN_SESSION;
        }
        Session.Opened op = session.open(f);
        if (op.drop() != null) {
            return op.drop();
        }
        if (!joiner && !from.equals(remote)) {
            Logger.info("raet: peer moved from {} to {}", remote, from);
            remote = from;
        }
        return tx.receive(h, op.body(), now);
    }

    // ---- session lifecycle ---------------------------------------------------------------------

    /** The stack's side of {@link Bootstrap.Host}: session state stays here. */
    private final class BootHost implements Bootstrap.Host {
        @Override
        public Session session() {
            return session;
        }

        @Override
        public InetSocketAddress remote() {
            return remote;
        }

        @Override
        public void establish(Session s, InetSocketAddress peer, String endReason, String upReason) {
            if (session != null) {
                endSession(endReason);
            }
            if (peer != null) {
                remote = peer;
            }
            install(s, upReason);
        }

        @Override
        public void startAccept(long ti, Runnable transmit, long now) {
            tx.startAccept(ti, transmit, now);
        }

        @Override
        public void sendSession(Header h, byte[] body) {
            RaetStack.this.sendSession(h, body);
        }

        @Override
        public void refused(long now) {
            rejoinRefused(now);
        }
    }

    private void rejoinRefused(long now) {
        Logger.info("raet: {} refused session {}; joining again", remote, session.si);
        reset("session refused by the peer", now);
    }

    private void install(Session s, String reason) {
        session = s;
        tx = new Transactions(s, o, new Transactions.Io() {
            @Override
            public void send(Header h, byte[] body) {
                sendSession(h, body);
            }

            @Override
            public void deliver(ServiceKind kind, byte[] body) {
                listener.onMessage(kind, body);
            }

            @Override
            public byte[] answer(byte[] request) {
                return listener.onRequest(request);
            }

            @Override
            public void released(int bytes, boolean delivered) {
                listener.onReleased(bytes, delivered);
            }

            @Override
            public RaetCounters counters() {
                return counters;
            }
        }, RANDOM.nextInt() & 0x7FFF_FFFFL, maxQueuedMessages);
        counters.session();
        Logger.info("raet: session {} up ({}): {}", s.si, s.protection(), reason);
        listener.onSession(true, reason + " (" + s.protection() + ")");
    }

    private void endSession(String reason) {
        Transactions t = tx;
        session = null;
        tx = null;
        t.close();
        Logger.info("raet: session down: {}", reason);
        listener.onSession(false, reason);
    }

    private void sendSession(Header h, byte[] body) {
        if (session == null || remote == null) {
            return;
        }
        byte[] d = session.seal(h, body, 0, body.length);
        counters.sent();
        wire.send(d, remote);
    }

    /** Sequencer state, for tests and health views. */
    int queuedSequenced() {
        return tx == null ? 0 : tx.seqOut().queued();
    }

    int openTransactions() {
        return tx == null ? 0 : tx.openTransactions();
    }
}

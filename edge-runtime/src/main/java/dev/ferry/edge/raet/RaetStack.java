package dev.ferry.edge.raet;

import dev.ferry.edge.config.SecurityConfig;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.tinylog.Logger;

/**
 * The RAET protocol engine without sockets or threads: datagrams in ({@link #onDatagram}), datagrams
 * out ({@link Wire}), timers driven by {@link #tick} with caller-supplied nanosecond times. One
 * stack per transport; all calls on one thread.
 *
 * <pre>
 *   onDatagram ─ PacketCodec.decode ─┬─ JOIN/JOIN_ACK/ACCEPT/REFUSE ─ bootstrap (signed, si = 0)
 *                                    └─ Session.open (CRC | Ed25519 | AEAD, replay) ─ Transactions
 *   sendMaybe/sendOnce/sendSequenced/request ─ Transactions ─ Session.seal ─ Wire
 * </pre>
 *
 * Bootstrap (RAET.md 5.2): the joiner (connecting side) sends JOIN with session id 0 carrying its
 * Ed25519 and fresh X25519 public keys; the acceptor answers JOIN_ACK, then ACCEPT with the new
 * session id and its keys; the joiner's first session packet (an ACK) ends the acceptor's
 * retries. A packet for an unknown session makes the acceptor send REFUSE; the joiner rejoins.
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
    private static final int BOOT_BODY = 32;

    private final boolean joiner;
    private final SecurityConfig.Mode mode;
    private final RaetKeys keys;
    private final RaetOptions o;
    private final Wire wire;
    private final Listener listener;
    private final RaetCounters counters;
    private final int maxQueuedMessages;
    private final long localDevice = 1 + (RANDOM.nextInt() & 0x7FFF_FFFFL);
    private final Signature bootSigner;
    private InetSocketAddress remote;
    private Session session;
    private Transactions tx;
    private boolean started;
    // joiner
    private long joinTi;
    private long joinDt;
    private KeyPair joinEphemeral;
    private long joinNextAt;
    private long joinInterval;
    private long lastMicros;
    // acceptor
    private final java.util.LinkedHashMap<String, long[]> lastJoin = new java.util.LinkedHashMap<>();
    private long lastRefuseAt;

    /**
     * @param remote the acceptor's address for a joiner; null for an acceptor (learnt from JOIN)
     */
    public RaetStack(InetSocketAddress remote, RaetKeys keys, RaetOptions options, Wire wire, Listener listener,
                     RaetCounters counters, int maxQueuedMessages) {
        this.joiner = remote != null;
        this.remote = remote;
        this.keys = keys;
        this.mode = keys.mode();
        this.o = options;
        this.wire = wire;
        this.listener = listener;
        this.counters = counters;
        this.maxQueuedMessages = maxQueuedMessages;
        if (mode != SecurityConfig.Mode.OPEN && keys.identity().isEmpty()) {
            throw new IllegalArgumentException("mode " + mode + " needs a key pair");
        }
        try {
            bootSigner = Signature.getInstance("Ed25519");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 missing from the JDK", e);
        }
    }

    /** A joiner sends its first JOIN; an acceptor waits. */
    public void start(long now) {
        started = true;
        if (joiner) {
            joinInterval = o.retryInitial();
            newJoin(now);
        }
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
                drop = onJoin(r.frame(), from, now);
                break;
            case JOIN_ACK:
                drop = onJoinAck(r.frame());
                break;
            case ACCEPT:
                drop = onAccept(r.frame(), now);
                break;
            case REFUSE:
                drop = onRefuse(r.frame(), now);
                break;
            default:
                drop = onSessionPacket(r.frame(), from, now);
        }
        if (drop != null) {
            counters.drop(drop, from);
        }
    }

    /** End of a read batch: sends the kind C status owed (one per batch, not per packet). */
    public void onBatchEnd(long now) {
        if (tx != null) {
            tx.flushStatus(now);
        }
    }

    public void tick(long now) {
        if (joiner && started && session == null && now - joinNextAt >= 0) {
            sendJoin();
            joinInterval = Math.min(joinInterval * 2, o.retryCap());
            joinNextAt = now + joinInterval;
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
        if (joiner && started) {
            joinInterval = o.retryInitial();
            newJoin(now);
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
            if (!joiner && h.si() != 0 && now - lastRefuseAt >= o.retryInitial()) {
                lastRefuseAt = now;
                sendBoot(Header.of(h.si(), 0, ServiceKind.MAYBE, PacketKind.REFUSE).withDevices(localDevice, h.sd()),
                        keys.publicRaw(), from);
            }
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

    // ---- bootstrap -----------------------------------------------------------------------------

    private void newJoin(long now) {
        joinTi = 1 + (RANDOM.nextInt() & 0x7FFF_FFFFL);
        long micros = Math.max(System.currentTimeMillis() * 1000, lastMicros + 1);
        lastMicros = micros;
        joinDt = micros;
        joinEphemeral = Crypto.newX25519();
        sendJoin();
        joinNextAt = now + joinInterval;
    }

    private void sendJoin() {
        byte[] body = Crypto.concat(keys.publicRaw(), Crypto.raw(joinEphemeral.getPublic()));
        sendBoot(Header.of(0, joinTi, ServiceKind.ONCE, PacketKind.JOIN).withDevices(localDevice, 0).withTime(joinDt),
                body, remote);
    }

    private void sendBoot(Header h, byte[] body, InetSocketAddress to) {
        if (to == null) {
            return;
        }
        try {
            byte[] d;
            if (mode == SecurityConfig.Mode.OPEN) {
                d = PacketCodec.layout(h.withBlocks(SecurityBlocks.NK_NONE, 0, SecurityBlocks.BK_PACKED, 0,
                        SecurityBlocks.TK_CRC32C, 0), body, 0, body.length, true);
                SecurityBlocks.writeCrc(d);
            } else {
                d = PacketCodec.layout(h.withBlocks(SecurityBlocks.NK_SIGNED, 0, SecurityBlocks.BK_PACKED, 0,
                        SecurityBlocks.TK_NONE, 0), body, 0, body.length, true);
                int hl = d.length - 72 - body.length;
                SecurityBlocks.sign(d, hl, 0, bootSigner, keys.identity().orElseThrow().getPrivate());
            }
            counters.sent();
            wire.send(d, to);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    /** Verifies a bootstrap packet; returns its body, or null after setting {@code drop[0]}. */
    private byte[] openBoot(PacketCodec.Frame f, int bodyLength, Drop[] drop) {
        Header h = f.header();
        boolean open = mode == SecurityConfig.Mode.OPEN;
        if (h.nk() != (open ? SecurityBlocks.NK_NONE : SecurityBlocks.NK_SIGNED)
                || h.tk() != (open ? SecurityBlocks.TK_CRC32C : SecurityBlocks.TK_NONE)) {
            drop[0] = Drop.WRONG_MODE;
            return null;
        }
        if (h.bl() != bodyLength) {
            drop[0] = Drop.BAD_BODY;
            return null;
        }
        byte[] body = f.body();
        if (open) {
            if (!SecurityBlocks.crcOk(f.data(), f.length())) {
                drop[0] = Drop.BAD_CHECKSUM;
                return null;
            }
            return body;
        }
        PublicKey vk = keys.trusted(Arrays.copyOf(body, BOOT_BODY)).orElse(null);
        if (vk == null) {
            drop[0] = Drop.UNKNOWN_KEY;
            return null;
        }
        if (!SecurityBlocks.verify(f.data(), f.length(), h.hl(), bootSigner, vk)) {
            drop[0] = Drop.BAD_SIGNATURE;
            return null;
        }
        return body;
    }

    private Drop onJoin(PacketCodec.Frame f, InetSocketAddress from, long now) {
        Header h = f.header();
        if (joiner || h.si() != 0 || h.sd() == 0) {
            return Drop.UNEXPECTED;
        }
        Drop[] drop = new Drop[1];
        byte[] body = openBoot(f, 64, drop);
        if (body == null) {
            return drop[0];
        }
        String who = mode == SecurityConfig.Mode.OPEN ? "open" : Crypto.hex(Arrays.copyOf(body, 32));
        long[] last = lastJoin.get(who);
        if (last != null && last[0] == h.dt() && last[1] == h.ti() && session != null) {
            sendBoot(Header.of(0, h.ti(), ServiceKind.ONCE, PacketKind.JOIN_ACK).withDevices(localDevice, h.sd())
                    .withFlags(Header.CF), keys.publicRaw(), from);
            return null; // a retransmitted JOIN: the ACCEPT retries are already running
        }
        if (mode != SecurityConfig.Mode.OPEN && last != null && h.dt() <= last[0]) {
            return Drop.REPLAY;
        }
        lastJoin.remove(who);
        lastJoin.put(who, new long[] {h.dt(), h.ti()});
        if (lastJoin.size() > 256) {
            lastJoin.remove(lastJoin.keySet().iterator().next());
        }
        KeyPair eph = Crypto.newX25519();
        long si;
        do {
            si = RANDOM.nextLong() & HeaderCodec.MAX_INT;
        } while (si == 0 || (session != null && si == session.si));
        try {
            Session s = newSession(si, h.sd(), false, eph, Arrays.copyOfRange(body, 32, 64), Arrays.copyOf(body, 32));
            if (session != null) {
                endSession("peer joined again");
            }
            remote = from;
            install(s, "accepted a join from " + from);
        } catch (GeneralSecurityException e) {
            return Drop.BAD_BODY;
        }
        long peer = h.sd();
        long ti = h.ti();
        sendBoot(Header.of(0, ti, ServiceKind.ONCE, PacketKind.JOIN_ACK).withDevices(localDevice, peer)
                .withFlags(Header.CF), keys.publicRaw(), from);
        byte[] accept = Crypto.concat(keys.publicRaw(), Crypto.raw(eph.getPublic()),
                ByteBuffer.allocate(8).putLong(si).array());
        Header ah = Header.of(0, ti, ServiceKind.ONCE, PacketKind.ACCEPT).withDevices(localDevice, peer).withFlags(Header.CF);
        tx.startAccept(ti, () -> sendBoot(ah, accept, remote), now);
        return null;
    }

    private Drop onJoinAck(PacketCodec.Frame f) {
        Drop[] drop = new Drop[1];
        if (!joiner || f.header().ti() != joinTi) {
            return Drop.UNEXPECTED;
        }
        return openBoot(f, 32, drop) == null ? drop[0] : null;
    }

    private Drop onAccept(PacketCodec.Frame f, long now) {
        Header h = f.header();
        if (!joiner || h.ti() != joinTi || h.si() != 0) {
            return Drop.UNEXPECTED;
        }
        Drop[] drop = new Drop[1];
        byte[] body = openBoot(f, 72, drop);
        if (body == null) {
            return drop[0];
        }
        long si = ByteBuffer.wrap(body, 64, 8).getLong();
        if (si <= 0 || si > HeaderCodec.MAX_INT) {
            return Drop.BAD_BODY;
        }
        if (session == null || session.si != si) {
            try {
                Session s = newSession(si, h.sd(), true, joinEphemeral, Arrays.copyOfRange(body, 32, 64),
                        Arrays.copyOf(body, 32));
                if (session != null) {
                    endSession("accepted again");
                }
                install(s, "joined " + remote);
            } catch (GeneralSecurityException e) {
                return Drop.BAD_BODY;
            }
        }
        sendSession(Header.of(si, joinTi, ServiceKind.ONCE, PacketKind.ACK).withDevices(localDevice, session.peerDevice),
                new byte[0]);
        return null;
    }

    private Drop onRefuse(PacketCodec.Frame f, long now) {
        Drop[] drop = new Drop[1];
        if (!joiner || session == null || f.header().si() != session.si) {
            return Drop.UNEXPECTED;
        }
        if (openBoot(f, 32, drop) == null) {
            return drop[0];
        }
        Logger.info("raet: {} refused session {}; joining again", remote, session.si);
        reset("session refused by the peer", now);
        return null;
    }

    private Session newSession(long si, long peerDevice, boolean asJoiner, KeyPair eph, byte[] peerX, byte[] peerVk)
            throws GeneralSecurityException {
        byte[] shared = mode == SecurityConfig.Mode.ENCRYPTED ? Crypto.agree(eph.getPrivate(), peerX) : null;
        PublicKey pv = mode == SecurityConfig.Mode.SIGNED ? Crypto.edPublic(peerVk) : null;
        return new Session(si, localDevice, peerDevice, mode, asJoiner, shared,
                keys.identity().map(KeyPair::getPrivate).orElse(null), pv);
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
        Logger.info("raet: session {} up: {}", s.si, reason);
        listener.onSession(true, reason);
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

package dev.ferry.edge.raet;

import dev.ferry.edge.config.SecurityConfig;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import org.tinylog.Logger;

/**
 * Session bootstrap for one {@link RaetStack} (RAET.md 5.2 and 5.5): JOIN, JOIN_ACK, ACCEPT and
 * REFUSE handling plus the joiner's JOIN retries with back-off and the acceptor's rate-limited
 * REFUSE. The joiner sends JOIN (si 0) with its Ed25519 and fresh X25519 public keys; the
 * acceptor answers JOIN_ACK, then ACCEPT (retried as B1) with the new session id and its keys; the
 * joiner's session ACK ends the ACCEPT retries. In encrypted mode JOIN also offers AEAD suites and
 * ACCEPT names the one chosen ({@link SuiteOffer}); no common suite is answered with REFUSE (si 0).
 * Session state itself lives in the stack, reached
 * through {@link Host}. Single-threaded: called only on the stack's thread.
 */
final class Bootstrap {
    /** The stack's session state, as the bootstrap sees it. */
    interface Host {
        /** The current session, or null. */
        Session session();

        /** Where session packets go (the joiner's acceptor, or the acceptor's last peer). */
        InetSocketAddress remote();

        /**
         * Ends the current session (if any) with {@code endReason}, moves to {@code peer} when it is
         * not null, and installs {@code s}.
         */
        void establish(Session s, InetSocketAddress peer, String endReason, String upReason);

        /** Starts the current session's ACCEPT retries (kind B1, transaction {@code ti}). */
        void startAccept(long ti, Runnable transmit, long now);

        /** Seals a packet under the current session and sends it to {@link #remote()}. */
        void sendSession(Header h, byte[] body);

        /** The peer refused the current session (REFUSE verified): drop it and rejoin. */
        void refused(long now);
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_JOINERS = 256;
    private static final long LOG_EVERY = 1_000_000_000L;

    private final boolean joiner;
    private final SecurityConfig.Mode mode;
    private final RaetKeys keys;
    private final RaetOptions o;
    private final long localDevice;
    private final BootPackets packets;
    private final Host host;
    // joiner
    private long joinTi;
    private long joinDt;
    private KeyPair joinEphemeral;
    private long joinNextAt;
    private long joinInterval;
    private long lastMicros;
    // acceptor: last (dt, ti) of a JOIN per joiner key, insertion-ordered, bounded
    private final LinkedHashMap<String, long[]> lastJoin = new LinkedHashMap<>();
    private long lastRefuseAt;
    private long lastSuiteLogAt;
    private boolean refusalLogged;

    Bootstrap(boolean joiner, RaetKeys keys, RaetOptions options, long localDevice, BootPackets packets, Host host) {
        this.joiner = joiner;
        this.mode = keys.mode();
        this.keys = keys;
        this.o = options;
        this.localDevice = localDevice;
        this.packets = packets;
        this.host = host;
    }

    // ---- joiner: JOIN and its retries ------------------------------------------------------------

    /** A joiner sends a new JOIN (fresh ti, dt and X25519 key) with the initial retry interval. */
    void join(long now) {
        if (joiner) {
            joinInterval = o.retryInitial();
            newJoin(now);
        }
    }

    /** Retransmits a joiner's JOIN when due, doubling the interval up to the cap; call only with no session. */
    void tick(long now) {
        if (joiner && now - joinNextAt >= 0) {
            sendJoin();
            joinInterval = Math.min(joinInterval * 2, o.retryCap());
            joinNextAt = now + joinInterval;
        }
    }

    private void newJoin(long now) {
        joinTi = 1 + (RANDOM.nextInt() & 0x7FFF_FFFFL);
        long micros = Math.max(System.currentTimeMillis() * 1000, lastMicros + 1);
        lastMicros = micros;
        joinDt = micros;
        joinEphemeral = Crypto.newX25519();
        refusalLogged = false;
        sendJoin();
        joinNextAt = now + joinInterval;
    }

    private void sendJoin() {
        byte[] body = Crypto.concat(keys.publicRaw(), Crypto.raw(joinEphemeral.getPublic()),
                encrypted() ? SuiteOffer.encode(keys.suites()) : new byte[0]);
        packets.send(Header.of(0, joinTi, ServiceKind.ONCE, PacketKind.JOIN).withDevices(localDevice, 0)
                .withTime(joinDt), body, host.remote());
    }

    // ---- acceptor: REFUSE ------------------------------------------------------------------------

    /**
     * An acceptor answers a session packet for a session it does not have ({@code h.si()} not 0)
     * with REFUSE, at most once per initial retry interval.
     */
    void refuse(Header h, InetSocketAddress from, long now) {
        if (!joiner && h.si() != 0 && now - lastRefuseAt >= o.retryInitial()) {
            lastRefuseAt = now;
            packets.send(Header.of(h.si(), 0, ServiceKind.MAYBE, PacketKind.REFUSE).withDevices(localDevice, h.sd()),
                    keys.publicRaw(), from);
        }
    }

    // ---- receiving -------------------------------------------------------------------------------

    /** Acceptor: a JOIN replaces any session with a new one and starts the ACCEPT retries. */
    Drop onJoin(PacketCodec.Frame f, InetSocketAddress from, long now) {
        Header h = f.header();
        if (joiner || h.si() != 0 || h.sd() == 0) {
            return Drop.UNEXPECTED;
        }
        Drop[] drop = new Drop[1];
        byte[] body = packets.open(f, SuiteOffer.KEYS, encrypted() ? 65535 : SuiteOffer.KEYS, drop);
        if (body == null) {
            return drop[0];
        }
        SuiteOffer.Parsed offer = encrypted() ? SuiteOffer.parse(body) : new SuiteOffer.Parsed(List.of(), false, null);
        if (offer.drop() != null) {
            return offer.drop();
        }
        AeadSuite suite = encrypted() ? SuiteOffer.choose(offer.offered(), keys.suites()).orElse(null) : null;
        if (encrypted() && suite == null) {
            refuseJoin(h, offer.offered(), from, now);
            return Drop.NO_COMMON_SUITE;
        }
        Session current = host.session();
        String who = mode == SecurityConfig.Mode.OPEN ? "open" : Crypto.hex(Arrays.copyOf(body, 32));
        long[] last = lastJoin.get(who);
        if (last != null && last[0] == h.dt() && last[1] == h.ti() && current != null) {
            packets.send(Header.of(0, h.ti(), ServiceKind.ONCE, PacketKind.JOIN_ACK).withDevices(localDevice, h.sd())
                    .withFlags(Header.CF), keys.publicRaw(), from);
            return null; // a retransmitted JOIN: the ACCEPT retries are already running
        }
        if (mode != SecurityConfig.Mode.OPEN && last != null && h.dt() <= last[0]) {
            return Drop.REPLAY;
        }
        lastJoin.remove(who);
        lastJoin.put(who, new long[] {h.dt(), h.ti()});
        if (lastJoin.size() > MAX_JOINERS) {
            lastJoin.remove(lastJoin.keySet().iterator().next());
        }
        KeyPair eph = Crypto.newX25519();
        long si;
        do {
            si = RANDOM.nextLong() & HeaderCodec.MAX_INT;
        } while (si == 0 || (current != null && si == current.si));
        try {
            Session s = newSession(si, h.sd(), false, eph, Arrays.copyOfRange(body, 32, 64), Arrays.copyOf(body, 32),
                    suite, !offer.legacy());
            host.establish(s, from, "peer joined again", "accepted a join from " + from);
        } catch (GeneralSecurityException e) {
            return Drop.BAD_BODY;
        }
        long peer = h.sd();
        long ti = h.ti();
        packets.send(Header.of(0, ti, ServiceKind.ONCE, PacketKind.JOIN_ACK).withDevices(localDevice, peer)
                .withFlags(Header.CF), keys.publicRaw(), from);
        byte[] accept = Crypto.concat(keys.publicRaw(), Crypto.raw(eph.getPublic()),
                ByteBuffer.allocate(8).putLong(si).array(),
                suite == null || offer.legacy() ? new byte[0] : new byte[] {(byte) suite.id()});
        Header ah = Header.of(0, ti, ServiceKind.ONCE, PacketKind.ACCEPT).withDevices(localDevice, peer).withFlags(Header.CF);
        host.startAccept(ti, () -> packets.send(ah, accept, host.remote()), now);
        return null;
    }

    /** Joiner: JOIN_ACK only confirms the JOIN arrived; the JOIN retries go on until ACCEPT. */
    Drop onJoinAck(PacketCodec.Frame f) {
        Drop[] drop = new Drop[1];
        if (!joiner || f.header().ti() != joinTi) {
            return Drop.UNEXPECTED;
        }
        return packets.open(f, 32, drop) == null ? drop[0] : null;
    }

    /** Joiner: ACCEPT installs the session (once per session id) and is acknowledged under it. */
    Drop onAccept(PacketCodec.Frame f, long now) {
        Header h = f.header();
        if (!joiner || h.ti() != joinTi || h.si() != 0) {
            return Drop.UNEXPECTED;
        }
        Drop[] drop = new Drop[1];
        byte[] body = packets.open(f, encrypted() ? 73 : 72, drop);
        if (body == null) {
            return drop[0];
        }
        long si = ByteBuffer.wrap(body, 64, 8).getLong();
        if (si <= 0 || si > HeaderCodec.MAX_INT) {
            return Drop.BAD_BODY;
        }
        AeadSuite suite = encrypted() ? AeadSuite.ofId(body[72] & 0xFF).filter(keys.suites()::contains).orElse(null) : null;
        if (encrypted() && suite == null) {
            return Drop.BAD_SUITE_LIST; // not among the suites we offered
        }
        Session current = host.session();
        if (current == null || current.si != si) {
            try {
                Session s = newSession(si, h.sd(), true, joinEphemeral, Arrays.copyOfRange(body, 32, 64),
                        Arrays.copyOf(body, 32), suite, true);
                host.establish(s, null, "accepted again", "joined " + host.remote());
            } catch (GeneralSecurityException e) {
                return Drop.BAD_BODY;
            }
        }
        host.sendSession(Header.of(si, joinTi, ServiceKind.ONCE, PacketKind.ACK)
                .withDevices(localDevice, host.session().peerDevice), new byte[0]);
        return null;
    }

    /**
     * Joiner: a verified REFUSE for the current session makes the stack rejoin; one with si 0 for
     * the pending JOIN (no common suite) is counted and logged, and the JOIN retries go on.
     */
    Drop onRefuse(PacketCodec.Frame f, long now) {
        Drop[] drop = new Drop[1];
        Session current = host.session();
        if (joiner && current == null && f.header().si() == 0 && f.header().ti() == joinTi) {
            byte[] body = packets.open(f, 33, drop);
            if (body == null) {
                return drop[0];
            }
            if ((body[32] & 0xFF) != SuiteOffer.REFUSE_NO_COMMON_SUITE) {
                return Drop.BAD_BODY;
            }
            packets.counters().joinRefused("no_common_suite");
            if (!refusalLogged) {
                refusalLogged = true;
                Logger.warn("raet: {} refused our join: no common cipher suite (we offer {}); retrying",
                        host.remote(), SuiteOffer.labels(keys.suites()));
            }
            return null;
        }
        if (!joiner || current == null || f.header().si() != current.si) {
            return Drop.UNEXPECTED;
        }
        if (packets.open(f, 32, drop) == null) {
            return drop[0];
        }
        host.refused(now);
        return null;
    }

    /** Acceptor: REFUSE (si 0, the JOIN's ti, body vk ‖ reason) when no offered suite is allowed. */
    private void refuseJoin(Header h, List<AeadSuite> offered, InetSocketAddress from, long now) {
        if (now - lastSuiteLogAt >= LOG_EVERY || lastSuiteLogAt == 0) {
            lastSuiteLogAt = now;
            Logger.warn("raet: refusing a join from {}: no common cipher suite (offered {}, allowed {})", from,
                    SuiteOffer.labels(offered), SuiteOffer.labels(keys.suites()));
        }
        if (now - lastRefuseAt >= o.retryInitial()) {
            lastRefuseAt = now;
            packets.send(Header.of(0, h.ti(), ServiceKind.MAYBE, PacketKind.REFUSE).withDevices(localDevice, h.sd()),
                    Crypto.concat(keys.publicRaw(), new byte[] {SuiteOffer.REFUSE_NO_COMMON_SUITE}), from);
        }
    }

    private boolean encrypted() {
        return mode == SecurityConfig.Mode.ENCRYPTED;
    }

    private Session newSession(long si, long peerDevice, boolean asJoiner, KeyPair eph, byte[] peerX, byte[] peerVk,
                               AeadSuite suite, boolean suiteBound) throws GeneralSecurityException {
        byte[] shared = encrypted() ? Crypto.agree(eph.getPrivate(), peerX) : null;
        PublicKey pv = mode == SecurityConfig.Mode.SIGNED ? Crypto.edPublic(peerVk) : null;
        return new Session(si, localDevice, peerDevice, mode, asJoiner, shared, suite, suiteBound,
                keys.identity().map(KeyPair::getPrivate).orElse(null), pv);
    }
}

package dev.ferry.edge.resi;

import dev.ferry.edge.transport.Transport;

/**
 * One transport as the peer link sees it: transport state, handshake, ping/pong liveness, the
 * integrity of its copies ({@link PathIntegrity}), RTT and loss. Pure code with times passed in
 * ({@code System.nanoTime()} style); not thread-safe.
 *
 * <p>A path is <em>live</em> (in the live set: strict mode waits for its copies) while its
 * transport is up, the peer's handshake arrived on it, it is not <em>silent</em> (no pong for
 * {@code deadAfterPings × pingInterval}; pings keep going and the first pong brings it back) and
 * not <em>failing</em> (its copies keep failing their integrity check). The silence check runs on
 * the link's tick, so a path is declared silent at the last tick that still falls within that
 * time, never a tick after it: strict mode stalls at most {@code deadAfterPings × pingInterval}
 * on a silent transport. A failing path still <em>carries</em> what we send ({@link #carries}):
 * the peer may be receiving well on it, and its strict mode waits for our copies there.
 *
 * <p>Loss is the share of the last {@value #LOSS_WINDOW} pings that got no pong within
 * {@code deadAfterPings × pingInterval}; a ping still inside that time counts neither way, so
 * 5 pings sent and 5 pongs received is a loss of 0.
 */
final class PathHealth {
    /** The path's state as shown to users. */
    enum State { DOWN, CONNECTING, HANDSHAKING, LIVE, SILENT, FAILING }

    static final int LOSS_WINDOW = 32;

    /** What {@link #tick} says is due. */
    record Due(boolean ping, boolean handshake, boolean handshakeTimedOut, boolean died) {
        static final Due NOTHING = new Due(false, false, false, false);
    }

    private final long pingIntervalNanos;
    private final long deadNanos;
    private final long handshakeTimeoutNanos;
    private final long answerNanos;
    private final PathIntegrity integrity;
    private final long[] pingNonces = new long[LOSS_WINDOW];
    private final long[] pingTimes = new long[LOSS_WINDOW];
    private final boolean[] pingAnswered = new boolean[LOSS_WINDOW];
    private Transport.State state = Transport.State.DOWN;
    private boolean handshaken;
    private boolean dead;
    private long handshakeDeadline;
    private long nextHandshakeAt;
    private long nextPingAt;
    private long lastPong;
    private long nonce;
    private long rttNanos = -1;
    private long pingsSent;
    private long pongsReceived;

    PathHealth(long pingIntervalNanos, int deadAfterPings, long handshakeTimeoutNanos) {
        this(pingIntervalNanos, deadAfterPings, handshakeTimeoutNanos, 0, 8);
    }

    /**
     * @param tickNanos    how often {@link #tick} is called (0: continuously, as in small tests)
     * @param maxBadCopies see {@link PathIntegrity}
     */
    PathHealth(long pingIntervalNanos, int deadAfterPings, long handshakeTimeoutNanos, long tickNanos,
               int maxBadCopies) {
        this.pingIntervalNanos = pingIntervalNanos;
        this.deadNanos = pingIntervalNanos * deadAfterPings - Math.min(tickNanos, pingIntervalNanos / 2);
        this.answerNanos = pingIntervalNanos * deadAfterPings;
        this.handshakeTimeoutNanos = handshakeTimeoutNanos;
        this.integrity = new PathIntegrity(maxBadCopies, answerNanos);
    }

    /** The transport (re)connected: a handshake is due now. */
    void transportUp(long now) {
        state = Transport.State.UP;
        handshaken = false;
        dead = false;
        handshakeDeadline = now + handshakeTimeoutNanos;
        nextHandshakeAt = now + pingIntervalNanos;
    }

    /** The transport went down or is reconnecting. Returns whether the path carried (see {@link #carries}). */
    boolean transportDown(Transport.State s) {
        boolean was = carries();
        state = s;
        handshaken = false;
        return was;
    }

    /** The peer's handshake arrived. Returns whether the path began to carry by it (it may still be failing). */
    boolean handshake(long now) {
        boolean was = carries();
        handshaken = true;
        dead = false;
        lastPong = now;
        nextPingAt = now;
        return !was && carries();
    }

    /** The next ping's nonce, recorded as sent. */
    long ping(long now) {
        int i = (int) (pingsSent % LOSS_WINDOW);
        pingsSent++;
        pingNonces[i] = ++nonce;
        pingTimes[i] = now;
        pingAnswered[i] = false;
        nextPingAt = now + pingIntervalNanos;
        return nonce;
    }

    /** A pong arrived. Returns true when it brought a silent path back (to carrying; it may still be failing). */
    boolean pong(long nonceEcho, long sentAt, long now) {
        if (!handshaken) {
            return false;
        }
        pongsReceived++;
        for (int i = 0; i < LOSS_WINDOW; i++) {
            if (pingNonces[i] == nonceEcho) {
                pingAnswered[i] = true;
            }
        }
        long rtt = now - sentAt;
        if (rtt >= 0 && rtt < 60_000_000_000L) {
            rttNanos = rttNanos < 0 ? rtt : (rttNanos * 7 + rtt) / 8;
        }
        lastPong = now;
        if (dead) {
            dead = false;
            return true;
        }
        return false;
    }

    /** What is due at {@code now}; marks the path dead when its pongs stopped. */
    Due tick(long now) {
        if (state != Transport.State.UP) {
            return Due.NOTHING;
        }
        if (!handshaken) {
            boolean timedOut = now - handshakeDeadline > 0;
            boolean resend = now - nextHandshakeAt >= 0;
            if (resend) {
                nextHandshakeAt = now + pingIntervalNanos;
            }
            if (timedOut) {
                handshakeDeadline = now + handshakeTimeoutNanos;
            }
            return new Due(false, resend, timedOut, false);
        }
        boolean died = false;
        if (!dead && now - lastPong > deadNanos) {
            dead = true;
            died = true;
        }
        return new Due(now - nextPingAt >= 0, false, false, died);
    }

    boolean isLive() {
        return carries() && !integrity.failing();
    }

    /** Whether sequenced envelopes are sent on this path: up, handshaken, not silent (failing or not). */
    boolean carries() {
        return state == Transport.State.UP && handshaken && !dead;
    }

    /** The integrity of this path's copies. */
    PathIntegrity integrity() {
        return integrity;
    }

    /** The state shown to users: a path that left the live set says why. */
    State pathState() {
        if (state != Transport.State.UP) {
            return state == Transport.State.DOWN ? State.DOWN : State.CONNECTING;
        }
        if (!handshaken) {
            return State.HANDSHAKING;
        }
        if (dead) {
            return State.SILENT;
        }
        return integrity.failing() ? State.FAILING : State.LIVE;
    }

    boolean handshaken() {
        return handshaken;
    }

    boolean dead() {
        return dead;
    }

    Transport.State state() {
        return state;
    }

    /** Smoothed round-trip time from pings, or -1 before the first pong. */
    long rttNanos() {
        return rttNanos;
    }

    /**
     * Share (0..1) of the last {@value #LOSS_WINDOW} pings sent before {@code now} minus
     * {@code deadAfterPings × pingInterval} that got no pong; 0 when there are none yet.
     */
    double loss(long now) {
        int counted = 0;
        int lost = 0;
        for (int i = 0; i < (int) Math.min(pingsSent, LOSS_WINDOW); i++) {
            if (pingAnswered[i]) {
                counted++;
            } else if (now - pingTimes[i] > answerNanos) {
                counted++;
                lost++;
            }
        }
        return counted == 0 ? 0 : (double) lost / counted;
    }

    long pingsSent() {
        return pingsSent;
    }

    long pongsReceived() {
        return pongsReceived;
    }
}

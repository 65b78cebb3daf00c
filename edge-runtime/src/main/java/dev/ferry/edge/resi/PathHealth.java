package dev.ferry.edge.resi;

import dev.ferry.edge.transport.Transport;

/**
 * One transport as the peer link sees it: transport state, handshake, ping/pong liveness, RTT and
 * loss. Pure code with times passed in ({@code System.nanoTime()} style); not thread-safe.
 *
 * <p>A path is <em>live</em> while its transport is up, the peer's handshake arrived on it, and it
 * is not <em>dead</em>: dead when no pong arrived for {@code deadAfterPings × pingInterval}
 * (pings keep going; the first pong brings it back). The check runs on the link's tick, so a path
 * is declared dead at the last tick that still falls within that time, never a tick after it:
 * strict mode stalls at most {@code deadAfterPings × pingInterval} on a silent transport.
 */
final class PathHealth {
    /** What {@link #tick} says is due. */
    record Due(boolean ping, boolean handshake, boolean handshakeTimedOut, boolean died) {
        static final Due NOTHING = new Due(false, false, false, false);
    }

    private final long pingIntervalNanos;
    private final long deadNanos;
    private final long handshakeTimeoutNanos;
    private Transport.State state = Transport.State.DOWN;
    private boolean handshaken;
    private boolean dead;
    private long handshakeDeadline;
    private long nextHandshakeAt;
    private long nextPingAt;
    private long lastPong;
    private long nonce;
    private long lastPingNonce;
    private boolean lastPingAnswered = true;
    private long rttNanos = -1;
    private double loss;
    private long pingsSent;
    private long pongsReceived;

    PathHealth(long pingIntervalNanos, int deadAfterPings, long handshakeTimeoutNanos) {
        this(pingIntervalNanos, deadAfterPings, handshakeTimeoutNanos, 0);
    }

    /** @param tickNanos how often {@link #tick} is called (0: continuously, as in small tests) */
    PathHealth(long pingIntervalNanos, int deadAfterPings, long handshakeTimeoutNanos, long tickNanos) {
        this.pingIntervalNanos = pingIntervalNanos;
        this.deadNanos = pingIntervalNanos * deadAfterPings - Math.min(tickNanos, pingIntervalNanos / 2);
        this.handshakeTimeoutNanos = handshakeTimeoutNanos;
    }

    /** The transport (re)connected: a handshake is due now. */
    void transportUp(long now) {
        state = Transport.State.UP;
        handshaken = false;
        dead = false;
        handshakeDeadline = now + handshakeTimeoutNanos;
        nextHandshakeAt = now + pingIntervalNanos;
    }

    /** The transport went down or is reconnecting. Returns whether the path was live. */
    boolean transportDown(Transport.State s) {
        boolean was = isLive();
        state = s;
        handshaken = false;
        return was;
    }

    /** The peer's handshake arrived. Returns whether the path became live by it. */
    boolean handshake(long now) {
        boolean was = isLive();
        handshaken = true;
        dead = false;
        lastPong = now;
        nextPingAt = now;
        return !was && isLive();
    }

    /** The next ping's nonce, recorded as sent. */
    long ping(long now) {
        if (!lastPingAnswered) {
            loss = loss * 0.9 + 0.1;
        } else if (pingsSent > 0) {
            loss = loss * 0.9;
        }
        pingsSent++;
        lastPingNonce = ++nonce;
        lastPingAnswered = false;
        nextPingAt = now + pingIntervalNanos;
        return lastPingNonce;
    }

    /** A pong arrived. Returns true when it brought a dead path back. */
    boolean pong(long nonceEcho, long sentAt, long now) {
        if (!handshaken) {
            return false;
        }
        pongsReceived++;
        if (nonceEcho == lastPingNonce) {
            lastPingAnswered = true;
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
        return state == Transport.State.UP && handshaken && !dead;
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

    /** Smoothed fraction of pings that got no pong before the next ping (0..1). */
    double loss() {
        return loss;
    }

    long pingsSent() {
        return pingsSent;
    }

    long pongsReceived() {
        return pongsReceived;
    }
}

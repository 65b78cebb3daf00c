package dev.ferry.edge.resi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.transport.Transport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class PathHealthTest {
    private static final long MS = 1_000_000;

    @Test
    void handshakeTimesOutWhenThePeerNeverAnswers() {
        PathHealth p = new PathHealth(100 * MS, 3, 500 * MS);
        p.transportUp(0);
        assertTrue(p.tick(100 * MS).handshake());
        assertFalse(p.tick(400 * MS).handshakeTimedOut());
        assertTrue(p.tick(501 * MS).handshakeTimedOut());
        assertFalse(p.isLive());
    }

    @Test
    void diesAfterMissedPongsAndRejoinsOnTheNextPong() {
        PathHealth p = new PathHealth(100 * MS, 3, 500 * MS);
        p.transportUp(0);
        assertTrue(p.handshake(10 * MS));
        assertTrue(p.isLive());
        long nonce = p.ping(10 * MS);
        assertFalse(p.pong(nonce, 10 * MS, 12 * MS));
        assertEquals(2 * MS, p.rttNanos());
        assertFalse(p.tick(300 * MS).died());
        PathHealth.Due d = p.tick(313 * MS);
        assertTrue(d.died());
        assertFalse(p.isLive());
        assertFalse(p.tick(400 * MS).died()); // reported once
        long n2 = p.ping(400 * MS);
        assertTrue(p.pong(n2, 400 * MS, 401 * MS));
        assertTrue(p.isLive());
    }

    @Test
    void aSilentPathIsDeadWithinDeadAfterPingsIntervalsAtTickResolution() {
        PathHealth p = new PathHealth(100 * MS, 3, 500 * MS, 25 * MS);
        p.transportUp(0);
        p.handshake(0);
        long lastPong = 0;
        assertFalse(p.tick(lastPong + 275 * MS).died(), "not before the last tick inside 300 ms");
        assertTrue(p.tick(lastPong + 300 * MS).died(), "dead at the last tick inside 300 ms, not at 325 ms");
        assertFalse(p.isLive());
    }

    @Test
    void transportDownLeavesTheLiveSet() {
        PathHealth p = new PathHealth(100 * MS, 3, 500 * MS);
        p.transportUp(0);
        p.handshake(1);
        assertTrue(p.transportDown(Transport.State.CONNECTING));
        assertFalse(p.isLive());
        assertFalse(p.transportDown(Transport.State.CONNECTING));
    }

    @Test
    void lossRisesWhenPingsGoUnanswered() {
        PathHealth p = new PathHealth(100 * MS, 3, 500 * MS);
        p.transportUp(0);
        p.handshake(0);
        for (int i = 0; i < 10; i++) {
            p.ping(i * 100 * MS);
        }
        assertTrue(p.loss() > 0.5, "loss " + p.loss());
    }
}

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
        PathHealth p = new PathHealth(100 * MS, 3, 500 * MS, 25 * MS, 8);
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
    void lossIsTheShareOfPingsUnansweredWithinTheDeadInterval() {
        PathHealth p = new PathHealth(100 * MS, 3, 500 * MS);
        p.transportUp(0);
        p.handshake(0);
        for (int i = 0; i < 10; i++) {
            p.ping(i * 100 * MS);
        }
        // pings at 0..900 ms, none answered; at 1000 ms those sent before 700 ms are overdue
        assertEquals(1.0, p.loss(1000 * MS));
        assertEquals(0.0, p.loss(200 * MS), "no ping is overdue yet");
    }

    @Test
    void fivePingsSentAndFivePongsReceivedIsNoLossEvenWhenAPongCameLate() {
        PathHealth p = new PathHealth(100 * MS, 3, 500 * MS);
        p.transportUp(0);
        p.handshake(0);
        long[] nonces = new long[5];
        for (int i = 0; i < 5; i++) {
            nonces[i] = p.ping(i * 100 * MS);
            if (i != 1) {
                p.pong(nonces[i], i * 100 * MS, i * 100 * MS + MS);
            }
        }
        p.pong(nonces[1], 100 * MS, 450 * MS); // after the next ping went out, within the dead interval
        assertEquals(5, p.pingsSent());
        assertEquals(5, p.pongsReceived());
        assertEquals(0.0, p.loss(10_000 * MS));
    }

    @Test
    void aPingStillWaitingForItsPongCountsNeitherWay() {
        PathHealth p = new PathHealth(100 * MS, 3, 500 * MS);
        p.transportUp(0);
        p.handshake(0);
        long n1 = p.ping(0);
        p.pong(n1, 0, MS);
        p.ping(100 * MS); // unanswered so far
        assertEquals(0.0, p.loss(150 * MS));
        assertEquals(0.5, p.loss(401 * MS), "overdue once the dead interval (300 ms) passed");
    }

    @Test
    void aFailingPathLeavesTheLiveSetButStillCarriesAndSaysWhy() {
        PathHealth p = new PathHealth(100 * MS, 3, 500 * MS, 0, 2);
        p.transportUp(0);
        p.handshake(0);
        assertEquals(PathHealth.State.LIVE, p.pathState());
        p.integrity().bad(0);
        assertTrue(p.isLive());
        assertEquals(PathIntegrity.Change.FAILING, p.integrity().bad(0));
        assertFalse(p.isLive());
        assertTrue(p.carries());
        assertEquals(PathHealth.State.FAILING, p.pathState());
        assertEquals(PathIntegrity.Change.NONE, p.integrity().good(1000 * MS));
        assertEquals(PathIntegrity.Change.RECOVERED, p.integrity().good(1000 * MS));
        assertTrue(p.isLive());
        p.transportDown(Transport.State.CONNECTING);
        assertEquals(PathHealth.State.CONNECTING, p.pathState());
    }

    @Test
    void aSilentPathSaysSoNotUp() {
        PathHealth p = new PathHealth(100 * MS, 3, 500 * MS);
        p.transportUp(0);
        assertEquals(PathHealth.State.HANDSHAKING, p.pathState());
        p.handshake(0);
        assertTrue(p.tick(301 * MS).died());
        assertEquals(PathHealth.State.SILENT, p.pathState());
        assertFalse(p.isLive());
    }
}

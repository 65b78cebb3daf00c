package dev.ferry.edge.raet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.config.SecurityConfig;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Replayed, forged and stranger packets are dropped, counted, and never delivered. */
@Tag("small")
class SecurityTest {
    private static final long TEN_S = TimeUnit.SECONDS.toNanos(10);

    private static SimNet up(SecurityConfig.Mode mode) {
        RaetKeys[] k = Fixtures.keys(mode);
        SimNet n = new SimNet(11, k[0], k[1], RaetOptions.defaults());
        assertTrue(n.runUntil(() -> n.a.isUp() && n.b.isUp(), TEN_S));
        return n;
    }

    private static byte[] lastDataPacket(SimNet n) {
        for (int i = n.capturedToB.size() - 1; i >= 0; i--) {
            byte[] d = n.capturedToB.get(i);
            String s = new String(d, 0, Math.min(d.length, 200), StandardCharsets.ISO_8859_1);
            if (s.contains("\"sk\":2,\"pk\":0")) {
                return d;
            }
        }
        throw new AssertionError("no data packet captured");
    }

    @Test
    void replayedPacketsAreDroppedInSignedAndEncryptedModes() {
        for (SecurityConfig.Mode mode : new SecurityConfig.Mode[] {SecurityConfig.Mode.SIGNED, SecurityConfig.Mode.ENCRYPTED}) {
            SimNet n = up(mode);
            n.a.sendSequenced("secret".getBytes(StandardCharsets.US_ASCII), n.now);
            assertTrue(n.runUntil(() -> n.atB.seq.size() == 1, TEN_S));
            byte[] captured = lastDataPacket(n);
            n.injectToB(captured);
            n.injectToB(captured);
            assertEquals(2, n.b.counters().dropped(Drop.REPLAY), mode.toString());
            assertEquals(1, n.atB.seq.size());
        }
    }

    @Test
    void forgedPacketsAreDropped() {
        SimNet n = up(SecurityConfig.Mode.ENCRYPTED);
        n.a.sendSequenced("x".getBytes(StandardCharsets.US_ASCII), n.now);
        assertTrue(n.runUntil(() -> n.atB.seq.size() == 1, TEN_S));
        byte[] good = lastDataPacket(n);
        byte[] bodyFlip = good.clone();
        bodyFlip[bodyFlip.length - 20] ^= 1;
        byte[] counterBump = good.clone();
        int hl = PacketCodec.decode(good, good.length).frame().header().hl();
        counterBump[hl + 7] += 100; // fresh counter, but the AEAD covers it
        n.injectToB(bodyFlip);
        n.injectToB(counterBump);
        assertEquals(2, n.b.counters().dropped(Drop.BAD_TAG));
        SimNet s = up(SecurityConfig.Mode.SIGNED);
        s.a.sendSequenced("y".getBytes(StandardCharsets.US_ASCII), s.now);
        assertTrue(s.runUntil(() -> s.atB.seq.size() == 1, TEN_S));
        byte[] signed = lastDataPacket(s).clone();
        signed[signed.length - 1] ^= 1;
        signed[PacketCodec.decode(signed, signed.length).frame().header().hl() + 7] += 50;
        s.injectToB(signed);
        assertEquals(1, s.b.counters().dropped(Drop.BAD_SIGNATURE));
        assertEquals(1, n.atB.seq.size());
        assertEquals(1, s.atB.seq.size());
    }

    @Test
    void joinFromAnUnknownKeyIsRefusedAndNoSessionForms() {
        KeyPair stranger = Crypto.newEd25519();
        RaetKeys a = RaetKeys.of(SecurityConfig.Mode.ENCRYPTED, stranger, List.of(Fixtures.KB.getPublic()));
        RaetKeys b = RaetKeys.of(SecurityConfig.Mode.ENCRYPTED, Fixtures.KB, List.of(Fixtures.KA.getPublic()));
        SimNet n = new SimNet(12, a, b, RaetOptions.defaults());
        n.runUntil(() -> false, TimeUnit.SECONDS.toNanos(2));
        assertFalse(n.b.isUp());
        assertFalse(n.a.isUp());
        assertTrue(n.b.counters().dropped(Drop.UNKNOWN_KEY) >= 2, "every join attempt counted");
    }

    @Test
    void modeMismatchIsDroppedAsWrongMode() {
        RaetKeys[] enc = Fixtures.keys(SecurityConfig.Mode.ENCRYPTED);
        SimNet n = new SimNet(13, RaetKeys.open(), enc[1], RaetOptions.defaults());
        n.runUntil(() -> false, TimeUnit.SECONDS.toNanos(1));
        assertFalse(n.b.isUp());
        assertTrue(n.b.counters().dropped(Drop.WRONG_MODE) >= 1);
    }

    @Test
    void replayedJoinIsDroppedAndARestartedJoinerGetsANewSession() {
        SimNet n = up(SecurityConfig.Mode.ENCRYPTED);
        long first = n.b.sessionId();
        byte[] join = n.capturedToB.get(0);
        n.injectToB(join);
        assertEquals(first, n.b.sessionId(), "a replayed join does not replace the session");
        n.a.reset("test rejoin", n.now);
        assertTrue(n.runUntil(() -> n.a.isUp() && n.b.sessionId() != first && n.a.sessionId() == n.b.sessionId(), TEN_S));
        n.injectToB(join);
        assertEquals(1, n.b.counters().dropped(Drop.REPLAY));
        n.a.sendSequenced(new byte[] {1}, n.now);
        assertTrue(n.runUntil(() -> n.atB.seq.size() == 1, TEN_S), "the new session carries data");
    }

    @Test
    void acceptorRestartIsRecoveredByRefuseAndRejoin() {
        RaetKeys[] k = Fixtures.keys(SecurityConfig.Mode.ENCRYPTED);
        SimNet n = up(SecurityConfig.Mode.ENCRYPTED);
        n.b.stop();
        n.b.start(n.now); // an acceptor that forgot everything (as after a restart)
        n.a.sendSequenced(new byte[] {5}, n.now); // refused: unknown session; lost with the old session
        assertTrue(n.runUntil(() -> n.b.isUp() && n.a.isUp() && n.a.sessionId() == n.b.sessionId(), TEN_S), "rejoined");
        n.a.sendSequenced(new byte[] {6}, n.now);
        assertTrue(n.runUntil(() -> n.atB.seq.size() == 1, TEN_S), "delivered in the new session");
        assertTrue(n.b.counters().dropped(Drop.UNKNOWN_SESSION) >= 1);
        assertEquals(2, n.atA.sessions.stream().filter(x -> x).count());
        assertEquals(k.length, 2);
    }
}

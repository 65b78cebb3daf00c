package dev.ferry.edge.raet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.config.SecurityConfig;
import dev.ferry.edge.metrics.Metrics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * AEAD suite negotiation in the bootstrap (RAET.md 5.2): the acceptor picks the first of the
 * joiner's offer that it allows, both ends use it, no common suite is refused and counted on both
 * sides, malformed offers are dropped as bad_suite_list, and a JOIN without a list still works.
 */
@Tag("small")
class SuiteNegotiationTest {
    private static final long TEN_S = TimeUnit.SECONDS.toNanos(10);
    private static final AeadSuite GCM = AeadSuite.AES_256_GCM;
    private static final AeadSuite CHACHA = AeadSuite.CHACHA20_POLY1305;

    private static SimNet net(List<AeadSuite> joiner, List<AeadSuite> acceptor) {
        RaetKeys[] k = Fixtures.keys(SecurityConfig.Mode.ENCRYPTED);
        return new SimNet(21, k[0].withSuites(joiner), k[1].withSuites(acceptor), RaetOptions.defaults());
    }

    private static void assertNegotiates(List<AeadSuite> joiner, List<AeadSuite> acceptor, AeadSuite expected) {
        SimNet n = net(joiner, acceptor);
        assertTrue(n.runUntil(() -> n.a.isUp() && n.b.isUp(), TEN_S), joiner + " / " + acceptor);
        assertEquals(Optional.of(expected), n.a.suite(), "joiner " + joiner + " / acceptor " + acceptor);
        assertEquals(Optional.of(expected), n.b.suite());
        assertEquals(expected.label(), n.a.protection());
        byte[] msg = Fixtures.numbered(7, 5000);
        n.a.sendSequenced(msg, n.now);
        n.b.sendSequenced(msg, n.now);
        assertTrue(n.runUntil(() -> n.atB.seq.size() == 1 && n.atA.seq.size() == 1, TEN_S), "data both ways");
        assertArrayEquals(msg, n.atB.seq.get(0));
        assertArrayEquals(msg, n.atA.seq.get(0));
        assertEquals(0, n.a.counters().totalDropped() + n.b.counters().totalDropped());
    }

    @Test
    void theAcceptorTakesTheJoinersFirstSuiteThatItAllows() {
        assertNegotiates(List.of(GCM, CHACHA), List.of(GCM, CHACHA), GCM);
        assertNegotiates(List.of(CHACHA, GCM), List.of(GCM, CHACHA), CHACHA);
        assertNegotiates(List.of(GCM, CHACHA), List.of(CHACHA), CHACHA);
        assertNegotiates(List.of(GCM), List.of(CHACHA, GCM), GCM);
        assertNegotiates(List.of(CHACHA), List.of(CHACHA), CHACHA);
    }

    @Test
    void noCommonSuiteIsRefusedCountedOnBothSidesAndNoSessionForms() {
        SimNet n = net(List.of(CHACHA), List.of(GCM));
        n.runUntil(() -> false, TimeUnit.SECONDS.toNanos(2));
        assertFalse(n.a.isUp());
        assertFalse(n.b.isUp());
        assertTrue(n.b.counters().dropped(Drop.NO_COMMON_SUITE) >= 2, "every join attempt counted");
        assertTrue(n.a.counters().joinRefusedCount("no_common_suite") >= 2, "the joiner saw the refusals");
        assertEquals(0, n.a.counters().totalDropped(), "the REFUSE verified at the joiner");
    }

    @Test
    void aTamperedTagIsDroppedUnderEitherSuite() {
        for (AeadSuite s : AeadSuite.values()) {
            SimNet n = net(List.of(s), List.of(s));
            assertTrue(n.runUntil(() -> n.a.isUp() && n.b.isUp(), TEN_S));
            n.loss = 1; // captured, not delivered: the counter stays fresh at B
            int before = n.capturedToB.size();
            n.a.sendSequenced("genuine".getBytes(StandardCharsets.US_ASCII), n.now);
            assertEquals(before + 1, n.capturedToB.size());
            byte[] genuine = n.capturedToB.get(before);
            byte[] d = genuine.clone();
            d[d.length - 1] ^= 0x40; // the last byte of the tag
            n.injectToB(d);
            assertEquals(1, n.b.counters().dropped(Drop.BAD_TAG), s.label());
            assertEquals(0, n.atB.seq.size());
            n.injectToB(genuine);
            assertEquals(1, n.atB.seq.size(), "the genuine packet still opens after the forgery");
        }
    }

    /** A signed JOIN from the joiner's key with {@code tail} after vk and xk, injected into B. */
    private static void injectJoin(SimNet n, KeyPair eph, byte[] tail, long ti) {
        RaetKeys joinerKeys = Fixtures.keys(SecurityConfig.Mode.ENCRYPTED)[0];
        List<byte[]> out = new ArrayList<>();
        BootPackets p = new BootPackets(joinerKeys, (d, to) -> out.add(d), new RaetCounters(new Metrics(), "x"));
        byte[] body = Crypto.concat(joinerKeys.publicRaw(), Crypto.raw(eph.getPublic()), tail);
        p.send(Header.of(0, ti, ServiceKind.ONCE, PacketKind.JOIN).withDevices(4242, 0).withTime(1000 + ti), body,
                SimNet.B_ADDR);
        n.injectToB(out.get(0));
    }

    @Test
    void malformedOrOversizedOffersAreDroppedAsBadSuiteList() {
        SimNet n = net(List.of(GCM, CHACHA), List.of(GCM, CHACHA));
        byte[][] bad = {
            {0}, // empty list
            {2, 2}, // count beyond the ids
            {1, 2, 1}, // ids beyond the count
            {2, 2, 2}, // an id twice
            {2, 0, 2}, // id 0
            {9, 2, 1, 3, 4, 5, 6, 7, 8, 9}, // more than 8 ids
            new byte[300], // far too long
        };
        long ti = 1;
        for (byte[] tail : bad) {
            injectJoin(n, Crypto.newX25519(), tail, ti++);
        }
        assertEquals(bad.length, n.b.counters().dropped(Drop.BAD_SUITE_LIST));
        assertFalse(n.b.isUp());
        injectJoin(n, Crypto.newX25519(), new byte[] {2, (byte) 200, 2}, ti); // an unknown id is skipped
        assertEquals(Optional.of(GCM), n.b.suite());
    }

    @Test
    void aJoinWithoutSuiteListGetsChaChaWithTheListlessKeysAndAShortAccept() throws Exception {
        SimNet n = net(List.of(GCM, CHACHA), List.of(GCM, CHACHA));
        KeyPair eph = Crypto.newX25519();
        injectJoin(n, eph, new byte[0], 5);
        assertEquals(Optional.of(CHACHA), n.b.suite());
        byte[] accept = null;
        for (byte[] d : n.capturedToA) {
            if (new String(d, 0, 120, StandardCharsets.US_ASCII).contains("\"pk\":5")) {
                accept = d;
            }
        }
        assertNotNull(accept, "ACCEPT sent");
        PacketCodec.Frame f = PacketCodec.decode(accept, accept.length).frame();
        assertEquals(72, f.header().bl(), "ACCEPT without the suite byte");
        byte[] body = f.body();
        long si = ByteBuffer.wrap(body, 64, 8).getLong();
        assertEquals(n.b.sessionId(), si);
        byte[] shared = Crypto.agree(eph.getPrivate(), java.util.Arrays.copyOfRange(body, 32, 64));
        Session joiner = new Session(si, 4242, f.header().sd(), SecurityConfig.Mode.ENCRYPTED, true, shared, CHACHA, false,
                null, null);
        n.b.sendOnce("hi".getBytes(StandardCharsets.US_ASCII), false, n.now);
        byte[] data = n.capturedToA.get(n.capturedToA.size() - 1);
        Session.Opened o = joiner.open(PacketCodec.decode(data, data.length).frame());
        assertEquals(null, o.drop(), "sealed with the keys of the list-less info strings");
        assertArrayEquals("hi".getBytes(StandardCharsets.US_ASCII), o.body());
    }
}

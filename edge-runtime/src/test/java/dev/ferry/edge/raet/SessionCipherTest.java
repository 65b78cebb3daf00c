package dev.ferry.edge.raet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.config.SecurityConfig;
import java.security.GeneralSecurityException;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Under each AEAD suite, the per-session {@code Cipher} objects are created once and re-initialised
 * for every packet: many packets of varied sizes still round-trip, a failed (tampered) packet is
 * dropped as bad_tag and leaves both ciphers usable for the next genuine one, and the two suites
 * derive different keys from the same exchange.
 */
@Tag("small")
class SessionCipherTest {
    private static final long SI = 0x1234_5678_9ABCL;
    private static final byte[] SHARED = Crypto.hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");

    private static Session[] pair(AeadSuite suite) throws GeneralSecurityException {
        Session joiner = new Session(SI, 7, 9, SecurityConfig.Mode.ENCRYPTED, true, SHARED, suite, true, null, null);
        Session acceptor = new Session(SI, 9, 7, SecurityConfig.Mode.ENCRYPTED, false, SHARED, suite, true, null, null);
        return new Session[] {joiner, acceptor};
    }

    private static Header segment(int oi, int sn, int sc) {
        return Header.of(SI, 42 + oi, ServiceKind.SEQUENCE, PacketKind.MESSAGE).withDevices(7, 9).withOrder(oi, sn, sc);
    }

    private static Session.Opened open(Session s, byte[] d) {
        PacketCodec.Decoded r = PacketCodec.decode(d, d.length);
        assertTrue(r.ok(), () -> "structurally bad packet: " + r.drop());
        return s.open(r.frame());
    }

    @ParameterizedTest
    @EnumSource(AeadSuite.class)
    void thousandsOfPacketsThroughOneCipherPairRoundTripBothWays(AeadSuite suite) throws GeneralSecurityException {
        Session[] p = pair(suite);
        assertEquals(suite, p[0].suite());
        assertEquals(suite.label(), p[1].protection());
        Random rnd = new Random(3);
        for (int i = 0; i < 3000; i++) {
            byte[] body = new byte[rnd.nextInt(1500)];
            rnd.nextBytes(body);
            int off = body.length == 0 ? 0 : rnd.nextInt(body.length);
            Session from = p[i % 2];
            Session to = p[1 - i % 2];
            byte[] d = from.seal(segment(i, 0, 1), body, off, body.length - off);
            Session.Opened o = open(to, d);
            assertNull(o.drop(), "packet " + i);
            assertArrayEquals(java.util.Arrays.copyOfRange(body, off, body.length), o.body(), "packet " + i);
        }
        assertEquals(1500, p[0].sent());
        assertEquals(1500, p[1].sent());
    }

    @ParameterizedTest
    @EnumSource(AeadSuite.class)
    void tamperedSegmentsAreRejectedAndTheNextGenuineOneStillOpens(AeadSuite suite) throws GeneralSecurityException {
        Session[] p = pair(suite);
        byte[] body = new byte[1200];
        new Random(5).nextBytes(body);
        int sc = 4;
        for (int sn = 0; sn < sc; sn++) {
            byte[] good = p[0].seal(segment(1, sn, sc), body, 0, body.length);
            int hl = PacketCodec.decode(good, good.length).frame().header().hl();
            int ti = new String(good, 0, hl, java.nio.charset.StandardCharsets.US_ASCII).indexOf("\"ti\":") + 5;
            // one bit flipped in the ciphertext body, in the tag, and in the header's ti digit (still valid JSON)
            for (int at : new int[] {hl + 8 + sn * 100, good.length - 1 - sn, ti}) {
                byte[] bad = good.clone();
                bad[at] ^= 0x01;
                PacketCodec.Decoded r = PacketCodec.decode(bad, bad.length);
                assertTrue(r.ok(), "tampering kept the packet well-formed");
                assertEquals(Drop.BAD_TAG, p[1].open(r.frame()).drop(), "segment " + sn + " byte " + at);
            }
            Session.Opened o = open(p[1], good);
            assertNull(o.drop(), "genuine segment " + sn + " after tampered copies");
            assertArrayEquals(body, o.body());
            assertEquals(Drop.REPLAY, open(p[1], good).drop(), "the same genuine segment again");
        }
    }

    @Test
    void theSuitesDeriveDifferentKeysFromTheSameExchangeAndDoNotOpenEachOthersPackets() throws GeneralSecurityException {
        byte[][] chacha = Session.keys(SI, SHARED, AeadSuite.CHACHA20_POLY1305, true);
        byte[][] gcm = Session.keys(SI, SHARED, AeadSuite.AES_256_GCM, true);
        byte[][] legacy = Session.keys(SI, SHARED, AeadSuite.CHACHA20_POLY1305, false);
        java.util.Set<String> all = new java.util.HashSet<>();
        for (byte[][] k : new byte[][][] {chacha, gcm, legacy}) {
            all.add(Crypto.hex(k[0]));
            all.add(Crypto.hex(k[1]));
        }
        assertEquals(6, all.size(), "six distinct keys: two directions x (two suites + the list-less JOIN)");
        Session gcmJoiner = pair(AeadSuite.AES_256_GCM)[0];
        Session chachaAcceptor = pair(AeadSuite.CHACHA20_POLY1305)[1];
        byte[] d = gcmJoiner.seal(segment(1, 0, 1), new byte[100], 0, 100);
        assertEquals(Drop.BAD_TAG, open(chachaAcceptor, d).drop());
    }
}

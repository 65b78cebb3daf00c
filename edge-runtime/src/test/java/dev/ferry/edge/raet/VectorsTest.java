package dev.ferry.edge.raet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.Signature;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The vectors of RAET.md section 8: exact bytes of good packets, and typed rejections. */
@Tag("small")
class VectorsTest {
    @Test
    void goodPacketsEncodeToTheVectorBytesAndOpen() throws Exception {
        int n = 0;
        for (String[] v : Vectors.read()) {
            if (!v[0].equals("P")) {
                continue;
            }
            n++;
            byte[] packet = Crypto.hex(v[5]);
            byte[] body = Crypto.hex(v[4]);
            PacketCodec.Decoded d = PacketCodec.decode(packet, packet.length);
            assertTrue(d.ok(), v[1] + ": " + d.drop());
            Header h = d.frame().header();
            assertArrayEquals(packet, Vectors.build(v[2], h, body, Long.parseLong(v[3])), v[1] + " re-encodes exactly");
            switch (v[2]) {
                case "open":
                    assertTrue(SecurityBlocks.crcOk(packet, packet.length), v[1]);
                    assertArrayEquals(body, d.frame().body());
                    break;
                case "signed":
                    assertTrue(SecurityBlocks.verify(packet, packet.length, h.hl(), Signature.getInstance("Ed25519"),
                            Crypto.edPublic(Crypto.raw(java.security.KeyFactory.getInstance("Ed25519")
                                    .generatePublic(derivedPublic())))), v[1]);
                    assertArrayEquals(body, d.frame().body());
                    break;
                default:
                    AeadSuite suite = Vectors.suite(v[2]);
                    byte[] plain = SecurityBlocks.open(packet, packet.length, h.hl(), suite, suite.cipher(),
                            suite.key(Crypto.hex(Vectors.KEY)));
                    assertNotNull(plain, v[1]);
                    assertArrayEquals(body, plain);
                    assertEquals(Long.parseLong(v[3]), SecurityBlocks.counter(packet, h.hl()));
            }
        }
        assertEquals(11, n);
    }

    @Test
    void sessionKeysAreTheVectorKeysAndDifferPerSuite() throws Exception {
        java.util.Set<String> keys = new java.util.HashSet<>();
        int n = 0;
        for (String[] v : Vectors.read()) {
            if (!v[0].equals("K")) {
                continue;
            }
            n++;
            AeadSuite suite = Vectors.suite("encrypted-" + v[1]);
            byte[][] k = Session.keys(Long.parseLong(v[3]), Crypto.hex(v[4]), suite, v[2].equals("1"));
            assertEquals(v[5], Crypto.hex(k[0]), v[1] + " joiner to acceptor");
            assertEquals(v[6], Crypto.hex(k[1]), v[1] + " acceptor to joiner");
            keys.add(v[5]);
            keys.add(v[6]);
        }
        assertEquals(3, n);
        assertEquals(6, keys.size(), "no key shared between suites or directions");
    }

    @Test
    void theJoinOfferVectorParsesToItsSuites() throws Exception {
        String[] v = Vectors.read().stream().filter(x -> x[1].equals("signed-join-offer")).findFirst().orElseThrow();
        SuiteOffer.Parsed p = SuiteOffer.parse(Crypto.hex(v[4]));
        assertEquals(List.of(AeadSuite.AES_256_GCM, AeadSuite.CHACHA20_POLY1305), p.offered());
        assertEquals(null, p.drop());
    }

    /** RFC 8032 test 1: the public key of the vector seed. */
    private static java.security.spec.X509EncodedKeySpec derivedPublic() {
        return new java.security.spec.X509EncodedKeySpec(Crypto.hex("302a300506032b6570032100"
                + "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
    }

    @Test
    void badHeadersAreRejectedWithTheirTypedReason() throws Exception {
        int n = 0;
        for (String[] v : Vectors.read()) {
            if (!v[0].equals("R")) {
                continue;
            }
            n++;
            byte[] d = Crypto.hex(v[3]);
            PacketCodec.Decoded r = PacketCodec.decode(d, d.length);
            assertEquals(Drop.valueOf(v[2]), r.drop(), v[1]);
        }
        assertEquals(18, n);
    }

    @Test
    void openSegmentHeaderIsTheDocumentedText() throws Exception {
        String[] v = Vectors.read().stream().filter(x -> x[1].equals("open-segment")).findFirst().orElseThrow();
        byte[] packet = Crypto.hex(v[5]);
        String head = new String(packet, 0, 143, java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals("{\"hk\":0,\"hl\":139,\"vn\":1,\"sd\":7,\"dd\":9,\"si\":123456789,\"ti\":42,\"sk\":2,\"pk\":0,"
                + "\"oi\":3,\"sn\":1,\"sc\":4,\"bk\":2,\"bl\":12,\"tk\":1,\"tl\":4,\"fg\":\"14\"}\r\n\r\n", head.substring(0, 139));
    }

    @Test
    void hkdfMatchesRfc5869TestCase1() {
        byte[] okm = Crypto.hkdf(Crypto.hex("000102030405060708090a0b0c"), Crypto.hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
                Crypto.hex("f0f1f2f3f4f5f6f7f8f9"), 42);
        assertEquals("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865", Crypto.hex(okm));
    }

    @Test
    void headerRoundTripsEveryField() {
        Header h = new Header(0, 0, 1, 4294967295L, 1, HeaderCodec.MAX_INT, 4294967295L, 3, 6, 12345678901L, 99, 65534,
                65535, 2, 0, 1, 0, 2, 0, Header.AF | Header.PF | Header.BF | Header.CF);
        byte[] enc = HeaderCodec.encode(h.withBlocks(2, 8, 1, 5, 2, 16));
        HeaderCodec.Result r = HeaderCodec.parse(enc, enc.length);
        assertTrue(r.ok(), String.valueOf(r.drop()));
        assertEquals(h.withBlocks(2, 8, 1, 5, 2, 16).withHl(enc.length), r.header());
        List<String> keys = List.of(HeaderCodec.KEYS);
        assertEquals(25, keys.size());
    }

    @Test
    void separateFlagKeysAreAcceptedWhenConsistent() {
        String text = "{\"hk\":0,\"hl\":83,\"vn\":1,\"si\":1,\"ti\":1,\"sk\":2,\"pk\":0,\"cf\":1,\"pf\":1,\"af\":0,\"bf\":1}\r\n\r\n";
        byte[] d = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        HeaderCodec.Result r = HeaderCodec.parse(d, d.length);
        assertTrue(r.ok(), String.valueOf(r.drop()) + " " + d.length);
        assertEquals(Header.CF | Header.PF | Header.BF, r.header().fg());
    }
}

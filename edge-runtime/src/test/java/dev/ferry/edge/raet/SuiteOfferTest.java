package dev.ferry.edge.raet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The JOIN's suite list: encoding, strict parsing, choice; and the "auto" preference by CPU. */
@Tag("small")
class SuiteOfferTest {
    private static final AeadSuite GCM = AeadSuite.AES_256_GCM;
    private static final AeadSuite CHACHA = AeadSuite.CHACHA20_POLY1305;

    private static byte[] join(byte... tail) {
        return Crypto.concat(new byte[64], tail);
    }

    @Test
    void anEncodedOfferParsesBackInOrder() {
        byte[] tail = SuiteOffer.encode(List.of(CHACHA, GCM));
        assertEquals("020102", Crypto.hex(tail));
        SuiteOffer.Parsed p = SuiteOffer.parse(join(tail));
        assertEquals(List.of(CHACHA, GCM), p.offered());
        assertFalse(p.legacy());
    }

    @Test
    void aBodyWithoutListIsTheLegacyChaChaOffer() {
        SuiteOffer.Parsed p = SuiteOffer.parse(new byte[64]);
        assertEquals(List.of(CHACHA), p.offered());
        assertTrue(p.legacy());
    }

    @Test
    void malformedListsAreTypedDrops() {
        for (byte[] tail : new byte[][] {{0}, {1}, {1, 2, 2}, {2, 1, 1}, {1, 0}, {(byte) 255}, {9, 1, 2, 3, 4, 5, 6, 7, 8, 9}}) {
            assertEquals(Drop.BAD_SUITE_LIST, SuiteOffer.parse(join(tail)).drop(), Crypto.hex(tail));
        }
    }

    @Test
    void theJoinersOrderWinsAndNoOverlapIsEmpty() {
        assertEquals(Optional.of(CHACHA), SuiteOffer.choose(List.of(CHACHA, GCM), List.of(GCM, CHACHA)));
        assertEquals(Optional.of(GCM), SuiteOffer.choose(List.of(GCM, CHACHA), List.of(CHACHA, GCM)));
        assertEquals(Optional.empty(), SuiteOffer.choose(List.of(CHACHA), List.of(GCM)));
        assertEquals(Optional.empty(), SuiteOffer.choose(List.of(), List.of(GCM)));
    }

    @Test
    void autoPrefersGcmOnlyWithAesHardware() {
        assertEquals(List.of(GCM, CHACHA), AeadSuite.auto(true));
        assertEquals(List.of(CHACHA, GCM), AeadSuite.auto(false));
    }

    @Test
    void suiteLabelsAndIdsAreTheConfigNamesAndWireIds() {
        assertEquals("aes-256-gcm", GCM.label());
        assertEquals("chacha20-poly1305", CHACHA.label());
        assertEquals(Optional.of(GCM), AeadSuite.ofId(2));
        assertEquals(Optional.empty(), AeadSuite.ofId(0));
        for (dev.ferry.edge.config.SecurityConfig.Cipher c : dev.ferry.edge.config.SecurityConfig.Cipher.values()) {
            assertEquals(c.label(), AeadSuite.of(c).label());
        }
        assertEquals(AeadSuite.values().length, dev.ferry.edge.config.SecurityConfig.Cipher.values().length);
    }
}

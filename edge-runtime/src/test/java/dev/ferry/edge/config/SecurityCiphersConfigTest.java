package dev.ferry.edge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code [security] ciphers}: "auto" or a preference list; mistakes reported with file:line. */
@Tag("small")
class SecurityCiphersConfigTest {
    private static final String EXPECTED = "expected \"auto\" or a non-empty array of distinct names from"
            + " \"aes-256-gcm\", \"chacha20-poly1305\" in order of preference";

    private static List<SecurityConfig.Cipher> ciphers(String value) throws ConfigException {
        return ConfigLoader.parse("[security]\nmode = \"open\"\n" + value, "ok.toml").security().ciphers();
    }

    private static String problem(String value) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("[security]\nmode = \"open\"\n" + value, "bad.toml"));
        assertEquals(1, e.problems().size());
        return e.getMessage();
    }

    @Test
    void absentOrAutoIsTheEmptyList() throws Exception {
        assertEquals(List.of(), ciphers(""));
        assertEquals(List.of(), ciphers("ciphers = \"auto\"\n"));
    }

    @Test
    void aListKeepsItsOrder() throws Exception {
        assertEquals(List.of(SecurityConfig.Cipher.CHACHA20_POLY1305, SecurityConfig.Cipher.AES_256_GCM),
                ciphers("ciphers = [\"chacha20-poly1305\", \"aes-256-gcm\"]\n"));
        assertEquals(List.of(SecurityConfig.Cipher.AES_256_GCM), ciphers("ciphers = [\"aes-256-gcm\"]\n"));
    }

    @Test
    void mistakesNameTheLineAndWhatIsExpected() {
        assertEquals("bad.toml:3: security.ciphers: found \"aes\" at index 1, " + EXPECTED,
                problem("ciphers = [\"chacha20-poly1305\", \"aes\"]\n"));
        assertEquals("bad.toml:3: security.ciphers: found \"aes-256-gcm\" at index 1 (listed twice), " + EXPECTED,
                problem("ciphers = [\"aes-256-gcm\", \"aes-256-gcm\"]\n"));
        assertEquals("bad.toml:3: security.ciphers: found an empty array, " + EXPECTED, problem("ciphers = []\n"));
        assertEquals("bad.toml:3: security.ciphers: found \"fast\", " + EXPECTED, problem("ciphers = \"fast\"\n"));
        assertEquals("bad.toml:3: security.ciphers: found 1, " + EXPECTED, problem("ciphers = 1\n"));
    }
}

package dev.ferry.edge.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code [security]}. With mode SIGNED or ENCRYPTED both files are present (the loader requires
 * them and checks that the key file is a readable file and the directory a directory; it does not
 * parse them). With OPEN they are ignored. Paths are as written; a relative path is relative to
 * the process's working directory.
 *
 * @param mode           open (default), signed or encrypted
 * @param keyFile        this node's private key
 * @param trustedKeysDir directory of trusted peers' public keys
 * @param ciphers        encrypted mode's AEAD suites in preference order, distinct; empty = "auto"
 *                       (AES-256-GCM first when the CPU has AES hardware, else ChaCha20-Poly1305)
 * @param unsafeUnauthenticatedLan with mode OPEN, lets peer transports listen on addresses other
 *                       than loopback (default false: the loader refuses them); every start then
 *                       logs a warning
 */
public record SecurityConfig(Mode mode, Optional<String> keyFile, Optional<String> trustedKeysDir,
                             List<Cipher> ciphers, boolean unsafeUnauthenticatedLan) {
    /** Security modes, written in lower case. */
    public enum Mode { OPEN, SIGNED, ENCRYPTED }

    /** AEAD suites of encrypted mode, written in lower case with '-' (e.g. {@code aes-256-gcm}). */
    public enum Cipher {
        AES_256_GCM, CHACHA20_POLY1305;

        /** The config name. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public SecurityConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(trustedKeysDir, "trustedKeysDir");
        ciphers = List.copyOf(ciphers);
        if (ciphers.stream().distinct().count() != ciphers.size()) {
            throw new IllegalArgumentException("ciphers listed twice: " + ciphers);
        }
    }

    /** With {@code ciphers = "auto"}. */
    public SecurityConfig(Mode mode, Optional<String> keyFile, Optional<String> trustedKeysDir) {
        this(mode, keyFile, trustedKeysDir, List.of());
    }

    /** With {@code unsafe_unauthenticated_lan = false}. */
    public SecurityConfig(Mode mode, Optional<String> keyFile, Optional<String> trustedKeysDir, List<Cipher> ciphers) {
        this(mode, keyFile, trustedKeysDir, ciphers, false);
    }

    /** True in modes signed and encrypted: peers prove their keys (TLS on TCP, RAET on UDP). */
    public boolean authenticatesPeers() {
        return mode != Mode.OPEN;
    }
}

package dev.ferry.edge.config;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code [security]}. With mode SIGNED or ENCRYPTED both files are present (the loader requires
 * them; it does not open them). With OPEN they are ignored. Paths are as written; a relative path
 * is relative to the process's working directory.
 *
 * @param mode           open (default), signed or encrypted
 * @param keyFile        this node's private key
 * @param trustedKeysDir directory of trusted peers' public keys
 */
public record SecurityConfig(Mode mode, Optional<String> keyFile, Optional<String> trustedKeysDir) {
    /** Security modes, written in lower case. */
    public enum Mode { OPEN, SIGNED, ENCRYPTED }

    public SecurityConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(trustedKeysDir, "trustedKeysDir");
    }
}

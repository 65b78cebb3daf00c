package dev.ferry.edge.security;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One line of the token store: a named LAN principal, how it proves who it is, and its
 * {@link Scopes}. Immutable.
 *
 * @param name       the principal's name (letters, digits, '.', '_', '-'; 1..64), unique in the store
 * @param tokenHash  the SHA-256 of its bearer token as 64 lower-case hex digits, or null for a
 *                   principal that authenticates with a client certificate instead
 * @param scopes     what it may do
 */
public record Grant(String name, String tokenHash, Scopes scopes) {
    /** Valid principal names (as node, line and device names in the config). */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** How a certificate principal's credential is written in the store. */
    public static final String CERT = "cert";
    /** The prefix of a token hash in the store. */
    public static final String SHA256 = "sha256:";
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public Grant {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scopes, "scopes");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad principal name: " + name);
        }
        if (tokenHash != null && !HEX64.matcher(tokenHash).matches()) {
            throw new IllegalArgumentException("a token hash is 64 lower-case hex digits");
        }
    }

    /** Whether this principal authenticates with a client certificate (no token). */
    public boolean byCertificate() {
        return tokenHash == null;
    }

    /** The credential as written in the store: {@code sha256:<hex>} or {@code cert}. */
    public String credential() {
        return tokenHash == null ? CERT : SHA256 + tokenHash;
    }

    static boolean isHash(String hex) {
        return HEX64.matcher(hex).matches();
    }
}

package dev.ferry.rp;

import java.util.Optional;

/** The RP verbs (PROTOCOL.md 5); the wire token is the enum name in upper case. */
public enum Verb {
    GET, POST, PUT, PATCH, DELETE, REP, ERROR;

    private static final Verb[] ALL = values();

    /** The wire token, e.g. {@code "GET"}. */
    public String token() {
        return name();
    }

    /** True for REP and ERROR, the only verbs that carry a status. */
    public boolean hasStatus() {
        return this == REP || this == ERROR;
    }

    /** The default status: 200 for REP, 500 for ERROR, 0 for the others. */
    public int defaultStatus() {
        return this == REP ? 200 : this == ERROR ? 500 : 0;
    }

    /** The verb whose token is exactly {@code token} (case-sensitive), or empty. */
    public static Optional<Verb> fromToken(String token) {
        for (Verb v : ALL) {
            if (v.name().equals(token)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}

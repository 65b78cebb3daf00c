package dev.ferry.rp;

import java.util.Optional;

/**
 * The type of a message body (header key {@code T}): JSON ({@code j}), UTF-8 text ({@code t}), an
 * octet blob ({@code o}) or a media type containing {@code /}. Immutable; equal by wire token.
 */
public final class BodyType {
    /** {@code j}: JSON. */
    public static final BodyType JSON = new BodyType("j");
    /** {@code t}: UTF-8 text. */
    public static final BodyType TEXT = new BodyType("t");
    /** {@code o}: octet blob, the default for a non-empty body. */
    public static final BodyType OCTETS = new BodyType("o");

    private final String token;

    private BodyType(String token) {
        this.token = token;
    }

    /**
     * The body type for a header value: {@code j}, {@code t}, {@code o}, or a media type of
     * printable ASCII (spaces allowed) containing {@code /}; empty for anything else.
     */
    public static Optional<BodyType> fromToken(String token) {
        if (token == null) {
            return Optional.empty();
        }
        switch (token) {
            case "j": return Optional.of(JSON);
            case "t": return Optional.of(TEXT);
            case "o": return Optional.of(OCTETS);
            default: break;
        }
        if (token.indexOf('/') < 0) {
            return Optional.empty();
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return Optional.empty();
            }
        }
        return Optional.of(new BodyType(token));
    }

    /**
     * A media type such as {@code application/cbor}.
     *
     * @throws IllegalArgumentException if it is not a valid body type token
     */
    public static BodyType of(String token) {
        return fromToken(token).orElseThrow(() -> new IllegalArgumentException("bad body type: " + token));
    }

    /** True for one of the three short forms j, t, o. */
    public boolean isShortForm() {
        return token.length() == 1;
    }

    /** The wire token. */
    public String token() {
        return token;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BodyType b && b.token.equals(token);
    }

    @Override
    public int hashCode() {
        return token.hashCode();
    }

    @Override
    public String toString() {
        return token;
    }
}

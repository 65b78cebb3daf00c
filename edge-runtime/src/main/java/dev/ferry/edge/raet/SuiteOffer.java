package dev.ferry.edge.raet;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The AEAD suite negotiation of encrypted mode (RAET.md 5.2): the joiner appends its suites, most
 * preferred first, to the JOIN body as {@code n:u8 ‖ n × id:u8} (1 ≤ n ≤ {@link #MAX}, ids non-zero
 * and distinct; ids this build does not know are skipped); the acceptor chooses the first offered
 * suite it also allows and names it in ACCEPT. A JOIN body of exactly 64 bytes (no list, as
 * before suites existed) offers ChaCha20-Poly1305 only, with the HKDF info strings without a suite.
 * Parsing never throws; a malformed list is {@link Drop#BAD_SUITE_LIST}.
 */
final class SuiteOffer {
    /** Most suite ids in one offer. */
    static final int MAX = 8;
    /** JOIN body before the list: Ed25519 public key and X25519 public key. */
    static final int KEYS = 64;
    /** REFUSE reason byte (after vk) when no offered suite is allowed. */
    static final int REFUSE_NO_COMMON_SUITE = 1;

    /** A parsed offer: known suites in the joiner's order (maybe empty), or the drop. */
    record Parsed(List<AeadSuite> offered, boolean legacy, Drop drop) { }

    private SuiteOffer() { }

    /** The bytes appended to the JOIN body for {@code preference} (1..MAX suites). */
    static byte[] encode(List<AeadSuite> preference) {
        if (preference.isEmpty() || preference.size() > MAX) {
            throw new IllegalArgumentException("1.." + MAX + " suites, got " + preference);
        }
        byte[] out = new byte[1 + preference.size()];
        out[0] = (byte) preference.size();
        for (int i = 0; i < preference.size(); i++) {
            out[1 + i] = (byte) preference.get(i).id();
        }
        return out;
    }

    /** Reads the list after the first {@link #KEYS} bytes of a JOIN body (at least that long). */
    static Parsed parse(byte[] body) {
        if (body.length == KEYS) {
            return new Parsed(List.of(AeadSuite.CHACHA20_POLY1305), true, null);
        }
        int n = body[KEYS] & 0xFF;
        if (n < 1 || n > MAX || body.length != KEYS + 1 + n) {
            return new Parsed(null, false, Drop.BAD_SUITE_LIST);
        }
        List<AeadSuite> out = new ArrayList<>();
        boolean[] seen = new boolean[256];
        for (int i = 0; i < n; i++) {
            int id = body[KEYS + 1 + i] & 0xFF;
            if (id == 0 || seen[id]) {
                return new Parsed(null, false, Drop.BAD_SUITE_LIST);
            }
            seen[id] = true;
            AeadSuite.ofId(id).ifPresent(out::add);
        }
        return new Parsed(List.copyOf(out), false, null);
    }

    /** The first of {@code offered} that {@code allowed} contains (the joiner's preference wins). */
    static Optional<AeadSuite> choose(List<AeadSuite> offered, List<AeadSuite> allowed) {
        return offered.stream().filter(allowed::contains).findFirst();
    }

    /** Labels for logs, e.g. {@code [aes-256-gcm, chacha20-poly1305]}. */
    static String labels(List<AeadSuite> suites) {
        return suites.stream().map(AeadSuite::label).toList().toString();
    }
}

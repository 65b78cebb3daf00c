package dev.ferry.edge.raet;

import dev.ferry.edge.config.SecurityConfig;
import dev.ferry.edge.security.NodeKeys;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * This node's Ed25519 identity and the peers' trusted public keys (RAET.md section 5.1), as RAET
 * uses them; the files and how a key is bound to a peer id are {@link NodeKeys}'. Immutable and
 * safe to share. Also carries encrypted mode's AEAD
 * suites in preference order ({@code [security] ciphers}; RAET.md 5.2), offered by a joiner and
 * allowed by an acceptor.
 */
public final class RaetKeys {
    private final SecurityConfig.Mode mode;
    private final KeyPair identity;
    private final byte[] publicRaw;
    private final Map<String, PublicKey> trusted;
    private final List<AeadSuite> suites;

    private RaetKeys(SecurityConfig.Mode mode, KeyPair identity, Map<String, PublicKey> trusted, List<AeadSuite> suites) {
        this.mode = mode;
        this.identity = identity;
        this.publicRaw = identity == null ? new byte[32] : Crypto.raw(identity.getPublic());
        this.trusted = Map.copyOf(trusted);
        this.suites = List.copyOf(suites);
        if (suites.isEmpty() || suites.stream().distinct().count() != suites.size()) {
            throw new IllegalArgumentException("need distinct AEAD suites, got " + suites);
        }
    }

    /** Keys for open mode: none. */
    public static RaetKeys open() {
        return new RaetKeys(SecurityConfig.Mode.OPEN, null, Map.of(), AeadSuite.preference(List.of()));
    }

    /** Keys from memory (tests, benchmarks), with the "auto" suites of this machine. */
    public static RaetKeys of(SecurityConfig.Mode mode, KeyPair identity, List<PublicKey> trusted) {
        Map<String, PublicKey> t = new HashMap<>();
        for (PublicKey k : trusted) {
            t.put(Crypto.hex(Crypto.raw(k)), k);
        }
        return new RaetKeys(mode, identity, t, AeadSuite.preference(List.of()));
    }

    /**
     * The same keys with other AEAD suites, most preferred first (non-empty, distinct).
     *
     * @throws IllegalArgumentException empty or repeated suites
     */
    public RaetKeys withSuites(List<AeadSuite> preference) {
        return new RaetKeys(mode, identity, trusted, preference);
    }

    /**
     * Loads the files named by {@code [security]} ({@link NodeKeys#load}), trusting every key in
     * the trusted directory whatever peer id it is bound to; open mode loads nothing. A peer link
     * uses {@link #of} with only its peer's keys instead.
     *
     * @throws UncheckedIOException     a file cannot be read
     * @throws IllegalArgumentException a file is malformed or the key pair does not match (the
     *                                  message names the file)
     */
    public static RaetKeys load(SecurityConfig sc) {
        if (sc.mode() == SecurityConfig.Mode.OPEN) {
            return open();
        }
        NodeKeys k = NodeKeys.load(sc);
        Map<String, PublicKey> t = new HashMap<>();
        for (String id : k.peerIds()) {
            for (PublicKey key : k.keysFor(id)) {
                t.put(Crypto.hex(Crypto.raw(key)), key);
            }
        }
        return new RaetKeys(sc.mode(), k.identity(), t, AeadSuite.preference(sc.ciphers()));
    }

    public SecurityConfig.Mode mode() {
        return mode;
    }

    /** This node's key pair; absent in open mode. */
    public Optional<KeyPair> identity() {
        return Optional.ofNullable(identity);
    }

    /** Raw 32-byte public key (zeros in open mode). */
    public byte[] publicRaw() {
        return publicRaw.clone();
    }

    /** The trusted key with these raw bytes, if any. */
    public Optional<PublicKey> trusted(byte[] raw32) {
        return Optional.ofNullable(trusted.get(Crypto.hex(raw32)));
    }

    /** Encrypted mode's AEAD suites, most preferred first; never empty. */
    public List<AeadSuite> suites() {
        return suites;
    }

    public int trustedCount() {
        return trusted.size();
    }
}

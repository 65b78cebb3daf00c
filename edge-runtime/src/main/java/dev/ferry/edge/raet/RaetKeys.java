package dev.ferry.edge.raet;

import dev.ferry.edge.config.SecurityConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * This node's Ed25519 identity and the peers' trusted public keys (RAET.md section 5.1). Key
 * files are text: {@code ed25519-private <64 hex>} and {@code ed25519-public <64 hex>} lines
 * ({@code #} comments allowed); the trusted directory holds one {@code *.pub} file per peer. Load
 * once per process; immutable afterwards and safe to share. Also carries encrypted mode's AEAD
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
     * Loads the files named by {@code [security]}; open mode loads nothing.
     *
     * @throws UncheckedIOException     a file cannot be read
     * @throws IllegalArgumentException a file is malformed or the key pair does not match (the
     *                                  message names the file)
     */
    public static RaetKeys load(SecurityConfig sc) {
        if (sc.mode() == SecurityConfig.Mode.OPEN) {
            return open();
        }
        Path keyFile = Path.of(sc.keyFile().orElseThrow(() -> new IllegalArgumentException("security.key_file missing")));
        Path dir = Path.of(sc.trustedKeysDir().orElseThrow(
                () -> new IllegalArgumentException("security.trusted_keys_dir missing")));
        try {
            Map<String, String> f = fields(keyFile);
            KeyPair pair = pair(keyFile, f.get("ed25519-private"), f.get("ed25519-public"));
            Map<String, PublicKey> t = new HashMap<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.pub")) {
                for (Path p : ds) {
                    String hex = fields(p).get("ed25519-public");
                    if (hex == null || hex.length() != 64) {
                        throw new IllegalArgumentException(p + ": expected a line 'ed25519-public <64 hex digits>'");
                    }
                    t.put(hex, Crypto.edPublic(Crypto.hex(hex)));
                }
            }
            return new RaetKeys(sc.mode(), pair, t, AeadSuite.preference(sc.ciphers()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("bad key in " + keyFile + " or " + dir + ": " + e.getMessage(), e);
        }
    }

    private static KeyPair pair(Path file, String priv, String pub) throws GeneralSecurityException {
        if (priv == null || pub == null || priv.length() != 64 || pub.length() != 64) {
            throw new IllegalArgumentException(file + ": expected lines 'ed25519-private <64 hex>' and 'ed25519-public <64 hex>'");
        }
        KeyPair kp = new KeyPair(Crypto.edPublic(Crypto.hex(pub)), Crypto.edPrivate(Crypto.hex(priv)));
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(kp.getPrivate());
        s.update(new byte[] {1, 2, 3});
        byte[] sig = s.sign();
        s.initVerify(kp.getPublic());
        s.update(new byte[] {1, 2, 3});
        if (!s.verify(sig)) {
            throw new IllegalArgumentException(file + ": public key does not belong to the private key");
        }
        return kp;
    }

    static Map<String, String> fields(Path p) throws IOException {
        Map<String, String> out = new HashMap<>();
        for (String line : Files.readAllLines(p, StandardCharsets.US_ASCII)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] kv = l.split("\\s+");
            if (kv.length == 2) {
                out.put(kv[0], kv[1].toLowerCase(java.util.Locale.ROOT));
            }
        }
        return out;
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

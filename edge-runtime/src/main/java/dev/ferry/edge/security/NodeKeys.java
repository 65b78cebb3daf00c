package dev.ferry.edge.security;

import dev.ferry.edge.config.SecurityConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.tinylog.Logger;

/**
 * This node's Ed25519 identity and the peers' trusted public keys, each bound to the peer ids it
 * may speak for: the one identity behind TLS on TCP transports and behind RAET (docs/security.md).
 *
 * <p>Files ({@code ferry keygen DIR} writes them): {@code key_file} holds the lines
 * {@code ed25519-private <64 hex>} and {@code ed25519-public <64 hex>}; {@code trusted_keys_dir}
 * holds one {@code <peer-id>.pub} file per peer with an {@code ed25519-public <64 hex>} line
 * ({@code #} comments allowed). <b>The file name binds the key to a peer id</b>: a key in
 * {@code gw-b.pub} may speak for peer {@code gw-b} and no other; the same key in two files speaks
 * for both ids. Files not ending in {@code .pub}, and {@code .pub} files whose name is not a peer
 * id, are ignored (the latter with a warning).
 *
 * <p>Immutable once loaded and safe to share.
 */
public final class NodeKeys {
    /** What a peer id (the name of a {@code .pub} file without the suffix) looks like. */
    private static final Pattern PEER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final byte[] ED_SPKI = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final byte[] ED_PKCS8 = HexFormat.of().parseHex("302e020100300506032b657004220420");

    private final KeyPair identity;
    /** Raw public key (hex) → the peer ids it is bound to. */
    private final Map<String, Set<String>> bindings;
    /** Peer id → its trusted keys. */
    private final Map<String, List<PublicKey>> byPeer;

    private NodeKeys(KeyPair identity, Map<String, List<PublicKey>> trusted) {
        this.identity = identity;
        Map<String, Set<String>> b = new HashMap<>();
        Map<String, List<PublicKey>> p = new TreeMap<>();
        trusted.forEach((id, keys) -> {
            p.put(id, List.copyOf(keys));
            keys.forEach(k -> b.computeIfAbsent(hex(raw(k)), x -> new TreeSet<>()).add(id));
        });
        Map<String, Set<String>> frozen = new HashMap<>();
        b.forEach((k, ids) -> frozen.put(k, Collections.unmodifiableSet(ids)));
        this.bindings = Map.copyOf(frozen);
        this.byPeer = Collections.unmodifiableMap(p);
    }

    /**
     * Keys from memory (tests, benchmarks): this node's pair and each peer id's trusted key.
     */
    public static NodeKeys of(KeyPair identity, Map<String, PublicKey> trustedByPeerId) {
        Map<String, List<PublicKey>> t = new HashMap<>();
        trustedByPeerId.forEach((id, k) -> t.put(id, List.of(k)));
        return new NodeKeys(Objects.requireNonNull(identity, "identity"), t);
    }

    /**
     * Loads the files named by {@code [security]}.
     *
     * @throws IllegalArgumentException mode open (no keys to load), a missing setting, a malformed
     *     file or a key pair that does not match (the message names the file)
     * @throws UncheckedIOException     a file or the directory cannot be read
     */
    public static NodeKeys load(SecurityConfig sc) {
        if (sc.mode() == SecurityConfig.Mode.OPEN) {
            throw new IllegalArgumentException("security mode open has no keys");
        }
        Path keyFile = Path.of(sc.keyFile().orElseThrow(() -> new IllegalArgumentException("security.key_file missing")));
        Path dir = Path.of(sc.trustedKeysDir().orElseThrow(
                () -> new IllegalArgumentException("security.trusted_keys_dir missing")));
        try {
            Map<String, String> f = fields(keyFile);
            KeyPair pair = pair(keyFile, f.get("ed25519-private"), f.get("ed25519-public"));
            Map<String, List<PublicKey>> trusted = new HashMap<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.pub")) {
                for (Path p : ds) {
                    String name = p.getFileName().toString();
                    String id = name.substring(0, name.length() - 4);
                    if (!PEER_ID.matcher(id).matches()) {
                        Logger.warn("{}: ignored: the name of a trusted key file is the peer id it binds the key to,"
                                + " and \"{}\" is not one", p, id);
                        continue;
                    }
                    trusted.computeIfAbsent(id, x -> new ArrayList<>()).add(publicKey(p, fields(p).get("ed25519-public")));
                }
            }
            return new NodeKeys(pair, trusted);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The public key in a {@code .pub} file (for tools and tests). */
    public static PublicKey readPublic(Path file) {
        try {
            return publicKey(file, fields(file).get("ed25519-public"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PublicKey publicKey(Path file, String hex) {
        if (hex == null || hex.length() != 64) {
            throw new IllegalArgumentException(file + ": expected a line 'ed25519-public <64 hex digits>'");
        }
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(ED_SPKI, unhex(file, hex))));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(file + ": not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    private static KeyPair pair(Path file, String priv, String pub) {
        if (priv == null || pub == null || priv.length() != 64 || pub.length() != 64) {
            throw new IllegalArgumentException(file + ": expected lines 'ed25519-private <64 hex>' and 'ed25519-public <64 hex>'");
        }
        try {
            KeyPair kp = new KeyPair(publicKey(file, pub), KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new PKCS8EncodedKeySpec(concat(ED_PKCS8, unhex(file, priv)))));
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
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(file + ": bad Ed25519 key: " + e.getMessage(), e);
        }
    }

    private static byte[] unhex(Path file, String hex) {
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": not hex digits", e);
        }
    }

    /** The {@code name value} lines of a key file, names as written, values in lower case. */
    static Map<String, String> fields(Path p) throws IOException {
        Map<String, String> out = new HashMap<>();
        for (String line : Files.readAllLines(p, StandardCharsets.US_ASCII)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] kv = l.split("\\s+");
            if (kv.length == 2) {
                out.put(kv[0], kv[1].toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    /** This node's key pair. */
    public KeyPair identity() {
        return identity;
    }

    /** The peer ids {@code key} may speak for; empty when it is not trusted at all. */
    public Set<String> boundIds(PublicKey key) {
        return bindings.getOrDefault(hex(raw(key)), Set.of());
    }

    /** True when {@code key} is trusted for {@code peerId}. */
    public boolean trustedFor(PublicKey key, String peerId) {
        return boundIds(key).contains(peerId);
    }

    /** The keys trusted for {@code peerId} (usually one), in no particular order. */
    public List<PublicKey> keysFor(String peerId) {
        return byPeer.getOrDefault(peerId, List.of());
    }

    /** Every peer id with at least one trusted key. */
    public Set<String> peerIds() {
        return byPeer.keySet();
    }

    /** The raw 32 bytes of an Ed25519 public key. */
    public static byte[] raw(PublicKey k) {
        byte[] enc = k.getEncoded();
        return Arrays.copyOfRange(enc, enc.length - 32, enc.length);
    }

    /** A key as people compare it: the first 16 hex digits of its raw bytes. */
    public static String fingerprint(PublicKey k) {
        return hex(raw(k)).substring(0, 16);
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

package dev.ferry.edge.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.tinylog.Logger;

/**
 * The running gateway's view of the token store file ({@link TokenFile}): who a bearer token or a
 * certificate name is, and what it may do. Thread-safe, lock-free on the read path.
 *
 * <p><b>Hashes.</b> A token is 256 random bits ({@link #newToken}); the store keeps only its
 * SHA-256. A salt or a slow hash protects guessable secrets such as passwords; against a
 * uniformly random 256-bit value a precomputed table or a brute-force search is hopeless either
 * way, so one SHA-256 is enough and keeps a lookup to one hash and one map probe. A token is
 * found by the hash of what the client presents, so its bytes are never compared with a stored
 * secret at all.
 *
 * <p><b>Changes without restart.</b> At most once per {@code checkIntervalMs} (100 ms in
 * production), a lookup looks at the file's modification time, size and inode; when they changed
 * it reads the file again. So {@code ferry token add/revoke} (which replaces the file atomically)
 * takes effect for the next request after at most that interval, without a restart or SIGHUP. A
 * file that no longer parses is logged and ignored: the last good grants stay in force.
 */
public final class TokenStore {
    /** How a token starts, so that secret scanners and people can tell what it is. */
    public static final String TOKEN_PREFIX = "ferry_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Snapshot(Map<String, Grant> byName, Map<String, Grant> byHash, Object stamp) { }

    private final Path file;
    private final long checkIntervalNanos;
    private final LongSupplier clock;
    private volatile Snapshot snapshot;
    private volatile long checkedAt;

    private TokenStore(Path file, long checkIntervalNanos, LongSupplier clock, Snapshot first) {
        this.file = file;
        this.checkIntervalNanos = checkIntervalNanos;
        this.clock = clock;
        this.snapshot = first;
        this.checkedAt = clock.getAsLong();
    }

    /**
     * Opens the store in {@code file}, checking it for changes at most every {@code checkIntervalMs}.
     * A missing file is an empty store (until it appears).
     *
     * @throws IOException when the file cannot be read or does not parse (the message names each
     *     problem as {@code FILE:LINE: reason})
     */
    public static TokenStore open(Path file, long checkIntervalMs) throws IOException {
        return open(file, checkIntervalMs, System::nanoTime);
    }

    static TokenStore open(Path file, long checkIntervalMs, LongSupplier clock) throws IOException {
        Objects.requireNonNull(file, "file");
        Object stamp = stamp(file);
        TokenFile.Parsed p = TokenFile.read(file);
        if (!p.ok()) {
            throw new IOException(String.join("\n", p.problems()));
        }
        return new TokenStore(file, checkIntervalMs * 1_000_000L, clock, snapshot(p.grants(), stamp));
    }

    /** A store with these grants and no file (tests, and a gateway with no tokens_file). */
    public static TokenStore of(List<Grant> grants) {
        return new TokenStore(null, Long.MAX_VALUE, System::nanoTime, snapshot(grants, null));
    }

    private static Snapshot snapshot(List<Grant> grants, Object stamp) {
        Map<String, Grant> byName = new HashMap<>();
        Map<String, Grant> byHash = new HashMap<>();
        for (Grant g : grants) {
            byName.put(g.name(), g);
            if (g.tokenHash() != null) {
                byHash.put(g.tokenHash(), g);
            }
        }
        return new Snapshot(Map.copyOf(byName), Map.copyOf(byHash), stamp);
    }

    /** The grant of the principal holding {@code token}, or null (unknown or revoked). */
    public Grant byToken(String token) {
        if (token == null || token.isEmpty() || token.length() > 512) {
            return null;
        }
        return current().byHash.get(hash(token));
    }

    /** The grant of principal {@code name} (token or certificate), or null. */
    public Grant byName(String name) {
        return current().byName.get(name);
    }

    /** The certificate principal among {@code names} (CN, then SANs), or null. */
    public Grant byCertificateName(List<String> names) {
        Snapshot s = current();
        for (String n : names) {
            Grant g = s.byName.get(n);
            if (g != null && g.byCertificate()) {
                return g;
            }
        }
        return null;
    }

    /** Number of principals now. */
    public int size() {
        return current().byName.size();
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        if (file == null) {
            return s;
        }
        long now = clock.getAsLong();
        if (now - checkedAt < checkIntervalNanos) {
            return s;
        }
        synchronized (this) {
            if (now - checkedAt < checkIntervalNanos && snapshot == s) {
                return snapshot;
            }
            checkedAt = now;
            Object stamp = stamp(file);
            if (Objects.equals(stamp, snapshot.stamp)) {
                return snapshot;
            }
            try {
                TokenFile.Parsed p = TokenFile.read(file);
                if (p.ok()) {
                    snapshot = snapshot(p.grants(), stamp);
                    Logger.info("tokens: reloaded {} ({} principals)", file, snapshot.byName.size());
                } else {
                    snapshot = new Snapshot(snapshot.byName, snapshot.byHash, stamp);
                    Logger.error("tokens: {} has problems; keeping the previous {} principals:\n{}", file,
                            snapshot.byName.size(), String.join("\n", p.problems()));
                }
            } catch (IOException e) {
                snapshot = new Snapshot(snapshot.byName, snapshot.byHash, stamp);
                Logger.error("tokens: cannot read {} ({}); keeping the previous principals", file, e.toString());
            }
            return snapshot;
        }
    }

    /** Modification time, size and inode of the file; "absent" when there is none. */
    private static Object stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(a.lastModifiedTime(), a.size(), String.valueOf(a.fileKey()));
        } catch (NoSuchFileException e) {
            return "absent";
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    /** A fresh token: {@value #TOKEN_PREFIX} and 256 random bits in base64url (49 characters). */
    public static String newToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The SHA-256 of a token's UTF-8 bytes, as 64 lower-case hex digits (what the store keeps). */
    public static String hash(String token) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(d.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

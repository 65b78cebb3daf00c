package dev.ferry.edge.raet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Set;

/**
 * {@code ferry keygen DIR}: writes a new Ed25519 identity as {@code DIR/node.key} (private and
 * public) and {@code DIR/node.pub} (public only, to copy into peers' trusted-keys directories).
 * Both files are created with permissions 0600 (never widened by a later chmod) and never
 * overwritten: if either exists, neither is written. A failure part-way leaves no new file.
 */
public final class KeyGen {
    public static final String KEY_FILE = "node.key";
    public static final String PUB_FILE = "node.pub";

    private KeyGen() { }

    /** Paths written by {@link #write}. */
    public record Written(Path keyFile, Path publicFile) { }

    /**
     * Creates {@code dir} if needed and writes the two files.
     *
     * @throws UncheckedIOException with {@link FileAlreadyExistsException} as cause (naming the
     *                              file) when either file exists, {@link NotDirectoryException}
     *                              when {@code dir} is not a directory, or any other I/O failure
     */
    public static Written write(Path dir) {
        KeyPair kp = Crypto.newEd25519();
        String pub = "ed25519-public " + Crypto.hex(Crypto.raw(kp.getPublic())) + "\n";
        String key = "# Ferry RAET node identity; keep private\ned25519-private " + Crypto.hex(Crypto.raw(kp.getPrivate()))
                + "\n" + pub;
        Path k = dir.resolve(KEY_FILE);
        Path p = dir.resolve(PUB_FILE);
        try {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new NotDirectoryException(dir.toString());
            }
            Files.createDirectories(dir);
            for (Path f : new Path[] {k, p}) {
                if (Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
                    throw new FileAlreadyExistsException(f.toString());
                }
            }
            create(k, key);
            try {
                create(p, "# Ferry RAET public key; copy into a peer's trusted keys directory\n" + pub);
            } catch (IOException e) {
                Files.deleteIfExists(k);     // no private key without its public half
                throw e;
            }
            return new Written(k, p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void create(Path p, String text) throws IOException {
        FileAttribute<Set<PosixFilePermission>> rw = PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"));
        try (var ch = Files.newByteChannel(p, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), rw)) {
            ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
        }
    }
}

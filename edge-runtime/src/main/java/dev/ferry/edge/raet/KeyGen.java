package dev.ferry.edge.raet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Set;

/**
 * {@code ferry keygen DIR}: writes a new Ed25519 identity as {@code DIR/node.key} (private and
 * public) and {@code DIR/node.pub} (public only, to copy into peers' trusted-keys directories as
 * {@code <this node's id>.pub}: the name binds the key to the id, see
 * {@code dev.ferry.edge.security.NodeKeys}). The same identity serves RAET and TLS.
 * Both files are created with permissions 0600 (never widened by a later chmod) and never
 * overwritten: an existing file is an error.
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
     * @throws UncheckedIOException with {@link java.nio.file.FileAlreadyExistsException} as cause
     *                              when a file exists, or any other I/O failure
     */
    public static Written write(Path dir) {
        KeyPair kp = Crypto.newEd25519();
        String pub = "ed25519-public " + Crypto.hex(Crypto.raw(kp.getPublic())) + "\n";
        String key = "# Ferry node identity (TLS and RAET); keep private\ned25519-private " + Crypto.hex(Crypto.raw(kp.getPrivate()))
                + "\n" + pub;
        try {
            Files.createDirectories(dir);
            Path k = dir.resolve(KEY_FILE);
            Path p = dir.resolve(PUB_FILE);
            create(k, key);
            create(p, "# Ferry node public key; copy into each peer's trusted_keys_dir as <this node's id>.pub\n"
                    + pub);
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

    /** {@code KeyGen DIR}: prints the two paths. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: ferry keygen DIR");
            System.exit(2);
        }
        Written w = write(Path.of(args[0]));
        System.out.println(w.keyFile());
        System.out.println(w.publicFile());
    }
}

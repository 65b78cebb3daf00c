package dev.ferry.edge.raet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.config.SecurityConfig;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry keygen}: 0600 files that {@link RaetKeys#load} reads back; no overwrite. */
@Tag("small")
class KeyGenTest {
    @Test
    void writesPrivateFilesThatLoad(@TempDir Path dir) throws Exception {
        KeyGen.Written w = KeyGen.write(dir.resolve("a"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(w.keyFile())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(w.publicFile())));
        KeyGen.Written peer = KeyGen.write(dir.resolve("b"));
        Path trusted = Files.createDirectories(dir.resolve("trusted"));
        Files.copy(peer.publicFile(), trusted.resolve("gw-b.pub"));
        RaetKeys k = RaetKeys.load(new SecurityConfig(SecurityConfig.Mode.ENCRYPTED,
                Optional.of(w.keyFile().toString()), Optional.of(trusted.toString())));
        assertEquals(1, k.trustedCount());
        assertTrue(k.identity().isPresent());
        byte[] peerRaw = Crypto.raw(dev.ferry.edge.security.NodeKeys.readPublic(peer.publicFile()));
        assertTrue(k.trusted(peerRaw).isPresent());
        assertEquals(AeadSuite.auto(AesHardware.here()), k.suites(), "ciphers \"auto\" by this machine's CPU");
        RaetKeys only = RaetKeys.load(new SecurityConfig(SecurityConfig.Mode.ENCRYPTED, Optional.of(w.keyFile().toString()),
                Optional.of(trusted.toString()), java.util.List.of(SecurityConfig.Cipher.CHACHA20_POLY1305)));
        assertEquals(java.util.List.of(AeadSuite.CHACHA20_POLY1305), only.suites());
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> KeyGen.write(dir.resolve("a")));
        assertTrue(e.getCause() instanceof FileAlreadyExistsException);
    }

    @Test
    void mismatchedKeyFileIsRejectedNamingTheFile(@TempDir Path dir) throws Exception {
        KeyGen.Written w = KeyGen.write(dir.resolve("a"));
        KeyGen.Written other = KeyGen.write(dir.resolve("b"));
        String priv = Files.readString(w.keyFile()).lines().filter(l -> l.startsWith("ed25519-private")).findFirst().orElseThrow();
        Path bad = dir.resolve("bad.key");
        Files.writeString(bad, priv + "\n" + Files.readString(other.publicFile()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RaetKeys.load(
                new SecurityConfig(SecurityConfig.Mode.SIGNED, Optional.of(bad.toString()), Optional.of(dir.toString()))));
        assertTrue(e.getMessage().contains("bad.key"), e.getMessage());
    }
}

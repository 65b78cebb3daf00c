package dev.ferry.edge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.config.SecurityConfig;
import dev.ferry.edge.raet.KeyGen;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys from ferry keygen's files; a trusted key speaks for the id its file is named after. */
@Tag("small")
class NodeKeysTest {

    @Test
    void theFileNameBindsAKeyToAPeerId(@TempDir Path dir) throws Exception {
        KeyGen.Written me = KeyGen.write(dir.resolve("me"));
        KeyGen.Written b = KeyGen.write(dir.resolve("b"));
        KeyGen.Written c = KeyGen.write(dir.resolve("c"));
        Path trusted = Files.createDirectories(dir.resolve("trusted"));
        Files.copy(b.publicFile(), trusted.resolve("gw-b.pub"));
        Files.copy(c.publicFile(), trusted.resolve("gw-c.pub"));
        Files.copy(c.publicFile(), trusted.resolve("resi.pub"));        // one key, two ids
        Files.copy(b.publicFile(), trusted.resolve("not an id!.pub"));  // ignored
        Files.copy(b.publicFile(), trusted.resolve("gw-d.txt"));        // ignored
        NodeKeys k = NodeKeys.load(new SecurityConfig(SecurityConfig.Mode.SIGNED, Optional.of(me.keyFile().toString()),
                Optional.of(trusted.toString())));
        PublicKey kb = NodeKeys.readPublic(b.publicFile());
        PublicKey kc = NodeKeys.readPublic(c.publicFile());
        assertEquals(Set.of("gw-b"), k.boundIds(kb));
        assertEquals(Set.of("gw-c", "resi"), k.boundIds(kc));
        assertTrue(k.trustedFor(kb, "gw-b"));
        assertFalse(k.trustedFor(kb, "gw-c"), "gw-b's key cannot speak for gw-c");
        assertFalse(k.trustedFor(NodeKeys.readPublic(me.publicFile()), "gw-b"));
        assertEquals(Set.of("gw-b", "gw-c", "resi"), k.peerIds());
        assertEquals(1, k.keysFor("gw-b").size());
        assertEquals(NodeKeys.readPublic(me.publicFile()), k.identity().getPublic());
    }

    @Test
    void aMalformedFileIsNamed(@TempDir Path dir) throws Exception {
        KeyGen.Written me = KeyGen.write(dir.resolve("me"));
        Path trusted = Files.createDirectories(dir.resolve("trusted"));
        Files.writeString(trusted.resolve("gw-b.pub"), "ed25519-public 1234\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodeKeys.load(
                new SecurityConfig(SecurityConfig.Mode.ENCRYPTED, Optional.of(me.keyFile().toString()),
                        Optional.of(trusted.toString()))));
        assertTrue(e.getMessage().contains("gw-b.pub"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NodeKeys.load(new SecurityConfig(SecurityConfig.Mode.OPEN,
                Optional.empty(), Optional.empty())));
    }

    @Test
    void theCertificateCarriesTheNodesKeyAndSignsItself(@TempDir Path dir) throws Exception {
        KeyGen.Written me = KeyGen.write(dir.resolve("me"));
        NodeKeys k = NodeKeys.load(new SecurityConfig(SecurityConfig.Mode.SIGNED, Optional.of(me.keyFile().toString()),
                Optional.of(Files.createDirectories(dir.resolve("t")).toString())));
        X509Certificate cert = SelfSignedCertificate.create(k.identity(), "gw-a");
        assertEquals(k.identity().getPublic(), cert.getPublicKey());
        cert.verify(k.identity().getPublic());
        cert.checkValidity();
        assertEquals("CN=gw-a", cert.getSubjectX500Principal().getName());
        assertEquals(3, cert.getVersion());
        assertThrows(IllegalArgumentException.class, () -> SelfSignedCertificate.create(k.identity(), "x".repeat(65)));
    }
}

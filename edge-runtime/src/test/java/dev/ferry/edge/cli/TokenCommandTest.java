package dev.ferry.edge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.security.TokenFile;
import dev.ferry.edge.security.TokenStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry token}: what an admin types, right and wrong. */
@Tag("small")
class TokenCommandTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) { }

    private Run ferry(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void addPrintsTheTokenOnceAndStoresOnlyItsHash() throws Exception {
        Path store = dir.resolve("tokens");
        Run add = ferry("token", "add", "panel", "--read", "/kitchen", "--write", "/kitchen/leds", "--metrics",
                "--tokens", store.toString());
        assertEquals(0, add.exit(), add.err());
        String token = add.out().strip();
        assertTrue(token.matches("ferry_[A-Za-z0-9_-]{43}"), add.out());
        String text = Files.readString(store);
        assertFalse(text.contains(token));
        assertTrue(text.contains("panel sha256:" + TokenStore.hash(token) + " read:/kitchen write:/kitchen/leds metrics"),
                text);
        assertEquals("panel", TokenStore.open(store, 0).byToken(token).name());

        Run again = ferry("token", "add", "panel", "--read", "/", "--tokens", store.toString());
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("already exists"), again.err());

        Run cert = ferry("token", "add", "tablet", "--cert", "--read", "/kitchen", "--tokens", store.toString());
        assertEquals(0, cert.exit(), cert.err());
        assertEquals("", cert.out(), "a certificate principal has no token to print");

        Run list = ferry("token", "list", "--tokens", store.toString());
        assertEquals(0, list.exit());
        assertTrue(list.out().contains("panel") && list.out().contains("tablet") && list.out().contains("cert"), list.out());
        assertFalse(list.out().contains("sha256"), "list shows no hashes");

        assertEquals(0, ferry("token", "revoke", "panel", "--tokens", store.toString()).exit());
        assertEquals(1, ferry("token", "revoke", "panel", "--tokens", store.toString()).exit());
        assertEquals(1, TokenFile.read(store).grants().size());
    }

    @Test
    void mistakesAreUsageErrors() {
        String store = dir.resolve("tokens").toString();
        assertEquals(2, ferry("token").exit());
        assertEquals(2, ferry("token", "add", "panel", "--tokens", store).exit(), "no scope");
        Run badPath = ferry("token", "add", "panel", "--read", "kitchen", "--tokens", store);
        assertEquals(2, badPath.exit());
        assertTrue(badPath.err().contains("needs an RP path"), badPath.err());
        assertEquals(2, ferry("token", "add", "bad name!", "--read", "/", "--tokens", store).exit());
        assertEquals(2, ferry("token", "frobnicate", "--tokens", store).exit());
        assertEquals(2, ferry("token", "add", "x", "--read").exit(), "--read without a value");
        Run noStore = ferry("token", "list", "--config", dir.resolve("absent.toml").toString());
        assertEquals(2, noStore.exit());
        assertEquals(0, ferry("token", "help").exit());
    }

    @Test
    void theStoreIsFoundThroughTheConfig() throws Exception {
        Path cfg = dir.resolve("ferry.toml");
        Files.writeString(cfg, "[http]\ntokens_file = \"" + dir.resolve("t") + "\"\n");
        assertEquals(0, ferry("token", "add", "a", "--read", "/", "--config", cfg.toString()).exit());
        assertEquals(1, TokenFile.read(dir.resolve("t")).grants().size());
        Files.writeString(cfg, "[http]\n");
        Run none = ferry("token", "list", "--config", cfg.toString());
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("sets no [http] tokens_file"), none.err());
    }
}

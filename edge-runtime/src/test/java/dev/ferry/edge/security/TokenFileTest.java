package dev.ferry.edge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token store file: what a careless editor writes, and what the running store makes of it. */
@Tag("small")
class TokenFileTest {
    @TempDir
    Path dir;

    @Test
    void parsesWhatItFormats() {
        String token = TokenStore.newToken();
        Grant a = new Grant("panel", TokenStore.hash(token), TokenFile.parse("x cert read:/a write:/a/b metrics status "
                + "register:ns discover:*", "t").grants().get(0).scopes());
        Grant b = new Grant("tablet", null, Scopes.NONE);
        TokenFile.Parsed p = TokenFile.parse(TokenFile.format(List.of(a, b)), "t");
        assertTrue(p.ok(), p.problems().toString());
        assertEquals(List.of(a, b), p.grants());
        assertFalse(TokenFile.format(List.of(a)).contains(token), "the token itself is never written");
    }

    @Test
    void tokensAreRandom256BitValuesFoundOnlyByTheirHash() {
        String t1 = TokenStore.newToken();
        String t2 = TokenStore.newToken();
        assertNotEquals(t1, t2);
        assertTrue(t1.matches("ferry_[A-Za-z0-9_-]{43}"), t1);
        TokenStore s = TokenStore.of(List.of(new Grant("a", TokenStore.hash(t1), Scopes.NONE)));
        assertEquals("a", s.byToken(t1).name());
        assertNull(s.byToken(t2));
        assertNull(s.byToken(TokenStore.hash(t1)), "the stored hash is not itself a credential");
        assertNull(s.byToken(""));
        assertNull(s.byToken("x".repeat(100_000)));
    }

    @Test
    void badLinesAreReportedWithTheirLineNumbers() {
        String text = String.join("\n",
                "# comment",
                "ok cert read:/a",
                "bad name cert",
                "short",
                "nohash sha256:abc read:/a",
                "scope cert read:relative",
                "scope2 cert fly:/a",
                "ok cert write:/b",
                "");
        TokenFile.Parsed p = TokenFile.parse(text, "tokens");
        assertFalse(p.ok());
        assertEquals(List.of("tokens:3:", "tokens:4:", "tokens:5:", "tokens:6:", "tokens:7:", "tokens:8:"),
                p.problems().stream().map(x -> x.substring(0, x.indexOf(':', 7) + 1)).toList(), p.problems().toString());
        assertTrue(p.problems().get(5).contains("appears twice"), p.problems().get(5));
        assertTrue(p.grants().isEmpty(), "a store with problems grants nothing");
    }

    @Test
    void writingKeepsTheStorePrivateAndAtomic() throws IOException {
        Path f = dir.resolve("tokens");
        TokenFile.write(f, List.of(new Grant("a", null, Scopes.NONE)));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-r--"));
        TokenFile.write(f, List.of(new Grant("b", null, Scopes.NONE)));
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)),
                "kept the admin's group write, dropped world read");
        try (var files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void theRunningStoreSeesChangesAndKeepsTheLastGoodOne() throws IOException {
        Path f = dir.resolve("tokens");
        AtomicLong now = new AtomicLong();
        String t = TokenStore.newToken();
        TokenFile.write(f, List.of(new Grant("a", TokenStore.hash(t), Scopes.NONE)));
        TokenStore s = TokenStore.open(f, 100, now::get);
        assertNotNull(s.byToken(t));
        TokenFile.write(f, List.of());                         // revoked
        assertNotNull(s.byToken(t), "not looked at again within the interval");
        now.addAndGet(100_000_000L);
        assertNull(s.byToken(t), "revoked once the interval passed");
        TokenFile.write(f, List.of(new Grant("a", TokenStore.hash(t), Scopes.NONE)));
        now.addAndGet(100_000_000L);
        assertNotNull(s.byToken(t));
        Files.writeString(f, "garbage line\n");
        now.addAndGet(100_000_000L);
        assertNotNull(s.byToken(t), "a broken edit keeps the last good grants");
        Files.delete(f);
        now.addAndGet(100_000_000L);
        assertNull(s.byToken(t), "a deleted store grants nothing");
        assertEquals(0, s.size());
    }

    @Test
    void aBrokenStoreStopsTheStart() throws IOException {
        Path f = dir.resolve("tokens");
        Files.writeString(f, "x y\n");
        IOException e = assertThrows(IOException.class, () -> TokenStore.open(f, 100));
        assertTrue(e.getMessage().startsWith(f + ":1: credential of 'x'"), e.getMessage());
        assertEquals(0, TokenStore.open(dir.resolve("absent"), 100).size(), "a missing store is empty");
    }
}

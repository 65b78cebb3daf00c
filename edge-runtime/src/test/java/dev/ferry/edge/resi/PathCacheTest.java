package dev.ferry.edge.resi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.rp.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class PathCacheTest {
    @Test
    void returnsOnlyWhatWasPutForExactlyThatText() {
        PathCache c = new PathCache(4);
        Path p = Path.of("/a#x");
        assertNull(c.get("/a/#x"));
        c.put("/a/#x", p);
        assertSame(p, c.get("/a/#x"));
        assertNull(c.get("/a#x"), "another text, even with the same normal form, is a miss");
        for (int i = 0; i < 64; i++) {
            c.put("/p" + i, Path.of("/p" + i));
        }
        for (int i = 0; i < 64; i++) {
            Path got = c.get("/p" + i);
            if (got != null) {
                assertEquals("/p" + i, got.toString()); // bounded: most were replaced, none is wrong
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new PathCache(6));
    }

    @Test
    void twoTextsWhoseHashesCollideBothStayCached() {
        PathCache c = new PathCache(256);
        // these two share a slot under the cache's hash mix: a direct-mapped cache missed on both
        // in a stream that alternated them (every message's to and from)
        String to = "/b/in";
        String from = "/#requests/1";
        c.put(to, Path.of(to));
        c.put(from, Path.of(from));
        for (int i = 0; i < 3; i++) {
            assertEquals(to, c.get(to).toString());
            assertEquals(from, c.get(from).toString());
        }
        c.put(to, Path.of(to)); // putting again does not push the other one out
        assertEquals(from, c.get(from).toString());
    }

    @Test
    void badPathsAreNeverCachedAndStillRefused() {
        for (int i = 0; i < 2; i++) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResiCodec.fromProto(
                    dev.ferry.edge.proto.resi.RpMessage.newBuilder().setVerbValue(1).setTo("/a/../b").setFrom("/x").build()));
            assertEquals("bad to path", e.getMessage());
        }
    }
}

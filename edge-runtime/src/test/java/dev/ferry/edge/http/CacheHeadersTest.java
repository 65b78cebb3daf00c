package dev.ferry.edge.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.route.Meta;
import dev.ferry.edge.route.Principal;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class CacheHeadersTest {
    private static final Meta BASE = Meta.of(Principal.LOCAL);

    private static Meta hints(String... cacheControl) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (String v : cacheControl) {
            h.add("Cache-Control", v);
        }
        return CacheHeaders.hints(h, BASE);
    }

    @Test
    void requestDirectives() {
        assertSame(BASE, hints(), "no header: nothing said");
        assertEquals(30_000, hints("max-age=30").maxAgeMs());
        assertEquals(30_000, hints("public, MAX-AGE=\"30\"").maxAgeMs());
        assertEquals(0, hints("no-cache").maxAgeMs());
        assertEquals(0, hints("max-age=60, no-cache").maxAgeMs(), "no-cache wins");
        assertEquals(CacheHeaders.MAX_AGE_S * 1000, hints("max-age=99999999999999999999").maxAgeMs());
        assertSame(BASE, hints("max-age=-5"), "malformed: ignored");
        assertSame(BASE, hints("max-age=1e3"));
        Meta stale = hints("max-stale");
        assertTrue(stale.acceptStale());
        assertEquals(-1, stale.maxAgeMs());
        Meta both = hints("max-age=5", "max-stale=60");
        assertEquals(5_000, both.maxAgeMs());
        assertTrue(both.acceptStale());
        assertEquals(Principal.LOCAL, both.principal());
    }

    @Test
    void responseHeaders() {
        assertArrayEquals(new String[0], CacheHeaders.headers(BASE), "a reply that says nothing");
        assertArrayEquals(new String[0], CacheHeaders.headers(null));
        assertArrayEquals(new String[] {"Age", "0", "X-Ferry-Age-Ms", "0", "X-Ferry-Source", "mcu"},
                CacheHeaders.headers(BASE.withFreshness(0, false, false)));
        assertArrayEquals(new String[] {"Age", "2", "X-Ferry-Age-Ms", "2999", "X-Ferry-Source", "cache",
                "X-Ferry-Stale", "true"}, CacheHeaders.headers(BASE.withFreshness(2999, true, true)));
    }

    @Test
    void serverSentEvents() {
        Message m = Message.builder(Verb.REP, Path.of("/1"), Path.of("/s")).eof(false)
                .body(BodyType.JSON, "{\"n\":1}".getBytes(StandardCharsets.UTF_8)).build();
        assertEquals("id: 4\ndata: {\"n\":1}\n\n", CacheHeaders.sse(4, m, BASE.withFreshness(0, false, false)));
        assertEquals("age: 1500\nid: 4\ndata: {\"n\":1}\n\n", CacheHeaders.sse(4, m, BASE.withFreshness(1500, true, false)));
        String stale = CacheHeaders.sse(5, m, BASE.withFreshness(9000, true, true));
        assertTrue(stale.startsWith("event: stale\nage: 9000\n"), stale);
        Message empty = Message.builder(Verb.REP, Path.of("/1"), Path.of("/s")).eof(false).build();
        String down = CacheHeaders.sse(6, empty, BASE.withFreshness(-1, true, true));
        assertTrue(down.startsWith("event: stale\nid: 6\ndata: "), down);
        assertFalse(down.contains("age:"), "no age when no value was ever seen");
    }
}

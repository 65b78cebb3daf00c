package dev.ferry.edge.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.metrics.Metrics;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class LastValueCacheTest {
    private final Metrics metrics = new Metrics();

    private static LastValueCache.Key key(String path) {
        return new LastValueCache.Key("device:dev0", Path.of(path), "");
    }

    private static LastValue value(int size) {
        return LastValue.of(Message.builder(Verb.REP, Path.of("/r"), Path.of("/s")).body(BodyType.OCTETS,
                new byte[size]).build(), 0, 0);
    }

    @Test
    void boundedInEntriesLeastRecentlyUsedFirst() {
        LastValueCache c = new LastValueCache(2, 1 << 20, metrics);
        c.put(key("/a"), value(1));
        c.put(key("/b"), value(1));
        assertNotNull(c.get(key("/a")));                     // /a is now the most recently used
        c.put(key("/c"), value(1));
        assertNull(c.get(key("/b")));
        assertNotNull(c.get(key("/a")));
        assertNotNull(c.get(key("/c")));
        assertEquals(2, c.size());
        assertEquals(1, metrics.value("ferry_cache_evicted_total{reason=\"entries\"}"));
    }

    @Test
    void boundedInBytesAndTooLargeValuesAreNotKept() {
        LastValueCache c = new LastValueCache(100, 4096, metrics);
        for (int i = 0; i < 10; i++) {
            c.put(key("/v/" + i), value(900));
        }
        int each = LastValueCache.ENTRY_OVERHEAD + "device:dev0".length() + "/v/0".length() + 900;
        assertTrue(c.bytes() <= 4096, "bytes " + c.bytes());
        assertEquals(4096 / each, c.size());
        assertEquals(10 - 4096 / each, metrics.value("ferry_cache_evicted_total{reason=\"bytes\"}"));
        assertNotNull(c.get(key("/v/9")), "the newest stay");
        c.put(key("/huge"), value(2000));                    // more than a quarter of 4096
        assertNull(c.get(key("/huge")));
        assertEquals(1, metrics.value("ferry_cache_evicted_total{reason=\"too_large\"}"));
        long before = c.bytes();
        c.put(key("/v/9"), value(10));                        // replacing gives the bytes back
        assertTrue(c.bytes() < before);
    }

    @Test
    void parametersArePartOfTheKey() {
        Message plain = Message.builder(Verb.GET, Path.of("/t"), Path.of("/r")).build();
        Message withBody = Message.builder(Verb.GET, Path.of("/t"), Path.of("/r")).body(BodyType.JSON,
                "100".getBytes()).build();
        assertEquals("", LastValueCache.Key.of("device:d", plain).params());
        assertEquals("j:100", LastValueCache.Key.of("device:d", withBody).params());
        assertTrue(!LastValueCache.Key.of("device:d", plain).equals(LastValueCache.Key.of("device:d", withBody)));
    }
}

package dev.ferry.edge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.rp.BodyType;
import dev.ferry.rp.Verb;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class HttpMappingTest {
    @Test
    void decodesPercentEscapesIncludingTheTag() {
        assertEquals("/dev0/sensors/temp#schema", HttpMapping.decodePath("/dev0/sensors/temp%23schema").path().toString());
        assertEquals("/#runtime/devices", HttpMapping.decodePath("/%23runtime/devices?x=1").path().toString());
        assertEquals("/a/b", HttpMapping.decodePath("http://host:8080/a/b").path().toString());
        assertEquals("/a#x", HttpMapping.decodePath("/a/%23x").path().toString(), "normal form");
    }

    @Test
    void rejectsBadPathsWithAReason() {
        for (String bad : new String[] {"/a/%2", "/a/%zz", "/a%20b", "/a//b", "/a/../b", "/a/%2e%2e", "", "x"}) {
            HttpMapping.PathResult r = HttpMapping.decodePath(bad);
            assertNull(r.path(), bad);
            assertFalse(r.error().isEmpty(), bad);
        }
        assertTrue(HttpMapping.decodePath("/" + "a".repeat(300)).error().contains("not a valid RP path"));
    }

    @Test
    void methodsAndTypesAndStatuses() {
        assertEquals(Verb.PATCH, HttpMapping.verb("PATCH"));
        assertNull(HttpMapping.verb("HEAD"));
        assertEquals(BodyType.JSON, HttpMapping.bodyType("Application/JSON; charset=utf-8"));
        assertEquals(BodyType.TEXT, HttpMapping.bodyType("text/plain"));
        assertEquals(BodyType.OCTETS, HttpMapping.bodyType(null));
        assertEquals(BodyType.of("image/png"), HttpMapping.bodyType("image/png"));
        assertEquals(BodyType.OCTETS, HttpMapping.bodyType("garbage"));
        assertEquals("application/json", HttpMapping.contentType(BodyType.JSON));
        assertEquals("image/png", HttpMapping.contentType(BodyType.of("image/png")));
        assertEquals(204, HttpMapping.repStatus(204));
        assertEquals(200, HttpMapping.repStatus(404));
        assertEquals(404, HttpMapping.errorStatus(404));
        assertEquals(502, HttpMapping.errorStatus(302));
        assertEquals(502, HttpMapping.errorStatus(700));
        assertTrue(HttpMapping.wantsEventStream("text/html, text/event-stream"));
    }
}

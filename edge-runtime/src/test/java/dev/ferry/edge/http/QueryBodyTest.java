package dev.ferry.edge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class QueryBodyTest {
    private static String body(String uri) {
        QueryBody.Result r = QueryBody.of(uri);
        assertNull(r.error(), uri + ": " + r.error());
        return r.body() == null ? null : new String(r.body(), StandardCharsets.UTF_8);
    }

    private static void refused(String uri) {
        QueryBody.Result r = QueryBody.of(uri);
        assertNotNull(r.error(), uri + " should be refused");
        assertNull(r.body());
    }

    @Test
    void valuesPairsAndObjects() {
        assertNull(body("/dev0/blob"));
        assertNull(body("/dev0/blob?"));
        assertEquals("64", body("/dev0/blob?64"));
        assertEquals("64", body("/dev0/blob?kib=64"));
        assertEquals("true", body("/leds/0?true"));
        assertEquals("\"on\"", body("/x?on"));
        assertEquals("\"a b&c\"", body("/x?v=a+b%26c"));
        assertEquals("{\"a\":1,\"b\":[1,2]}", body("/x?a=1&b=%5B1,2%5D"));
        assertEquals("\"\\u00e9\"", body("/x?v=%C3%A9").replace("é", "\\u00e9"));
        assertEquals("\"1 2\"", body("/x?v=1%202"), "two JSON values are not one");
        assertEquals("\"\"", body("/x?v="));
    }

    @Test
    void whatCannotBeMappedIsRefused() {
        refused("/x?a=1&a=2");
        refused("/x?=1");
        refused("/x?a=%2");
        refused("/x?a=%C3");          // not UTF-8
        refused("/x?1&2");
        refused("/x?1&a=2");
        refused("/x?v=" + "9".repeat(QueryBody.MAX_QUERY));
    }
}

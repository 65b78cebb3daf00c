package dev.ferry.edge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class NdjsonTest {
    private static String line(BodyType t, String body) {
        Message m = Message.builder(Verb.REP, Path.of("/1"), Path.of("/s")).eof(false)
                .body(t, body.getBytes(StandardCharsets.UTF_8)).build();
        return new String(Ndjson.line(m), StandardCharsets.UTF_8);
    }

    @Test
    void oneLinePerReplyWhateverItsType() {
        assertEquals("{\"a\": 1}\n", line(BodyType.JSON, "{\"a\":\n1}"));
        assertEquals("\"two\\nlines\"\n", line(BodyType.TEXT, "two\nlines"));
        assertEquals("\"AAH/\"\n", new String(Ndjson.line(Message.builder(Verb.REP, Path.of("/1"), Path.of("/s"))
                .body(BodyType.OCTETS, new byte[] {0, 1, -1}).build()), StandardCharsets.UTF_8));
        assertEquals("null\n", new String(Ndjson.line(Message.builder(Verb.REP, Path.of("/1"), Path.of("/s")).build()),
                StandardCharsets.UTF_8));
    }

    @Test
    void allowComesFromTheSchemasVerbs() {
        assertEquals("GET, HEAD, PUT, OPTIONS",
                AllowHeader.fromSchema("{\"verbs\":[\"GET\",\"PUT\",\"BREW\"]}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("POST, OPTIONS", AllowHeader.fromSchema("{\"types\":[\"*\"],\"verbs\":[\"POST\"]}"
                .getBytes(StandardCharsets.UTF_8)));
        assertNull(AllowHeader.fromSchema("{\"verbs\":[]}".getBytes(StandardCharsets.UTF_8)));
        assertNull(AllowHeader.fromSchema("garbage".getBytes(StandardCharsets.UTF_8)));
    }
}

package dev.ferry.edge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class SseFormatTest {
    private static Message rep(BodyType t, byte[] body) {
        return Message.builder(Verb.REP, Path.of("/1"), Path.of("/s")).eof(false).body(t, body).build();
    }

    @Test
    void jsonOnOneLineTextAsIsBinaryBase64() {
        assertEquals("id: 7\ndata: {\"a\": 1}\n\n",
                SseFormat.event(7, rep(BodyType.JSON, "{\"a\":\n1}".getBytes(StandardCharsets.UTF_8))));
        assertEquals("id: 1\ndata: two\ndata: lines\n\n",
                SseFormat.event(1, rep(BodyType.TEXT, "two\r\nlines".getBytes(StandardCharsets.UTF_8))));
        assertEquals("id: 2\ndata: AAH/\n\n", SseFormat.event(2, rep(BodyType.OCTETS, new byte[] {0, 1, -1})));
        assertEquals("id: 3\ndata: \n\n", SseFormat.event(3,
                Message.builder(Verb.REP, Path.of("/1"), Path.of("/s")).build()));
    }

    @Test
    void errorIsAnErrorEvent() {
        Message err = Message.builder(Verb.ERROR, Path.of("/1"), Path.of("/s")).status(404)
                .body(BodyType.TEXT, "gone \"x\"".getBytes(StandardCharsets.UTF_8)).build();
        assertEquals("event: error\ndata: {\"status\":404,\"reason\":\"gone \\\"x\\\"\"}\n\n",
                SseFormat.error(new JsonFactory(), err));
    }
}

package dev.ferry.edge.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.core.JsonFactory;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class WsJsonTest {
    private final JsonFactory json = new JsonFactory();

    @Test
    void roundTripsEveryBodyKind() {
        Message[] ms = {
            Message.builder(Verb.REP, Path.of("/r/1"), Path.of("/dev0/x#streams/2")).eof(false).flow(50).status(203)
                    .body(BodyType.JSON, "{\"a\":[1,2,{\"b\":null}]}".getBytes(StandardCharsets.UTF_8)).build(),
            Message.builder(Verb.ERROR, Path.of("/r/2"), Path.of("/x")).status(404)
                    .body(BodyType.TEXT, "not \"here\"\n".getBytes(StandardCharsets.UTF_8)).build(),
            Message.builder(Verb.PUT, Path.of("/x"), Path.of("/#r/3"))
                    .body(BodyType.of("application/cbor"), new byte[] {0, 1, (byte) 0xff}).build(),
            Message.builder(Verb.GET, Path.of("/x"), Path.of("/r/4")).build(),
        };
        for (Message m : ms) {
            WsJson.Result r = WsJson.decode(json, WsJson.encode(json, m, m.to()));
            assertNull(r.error(), m.toString());
            assertEquals(m, r.message());
        }
    }

    @Test
    void defaultsAndInference() {
        Message m = WsJson.decode(json, "{\"verb\":\"POST\",\"to\":\"/a\",\"from\":\"/b\",\"body\":\"hi\",\"x\":{\"y\":1}}").message();
        assertEquals(BodyType.TEXT, m.bodyType().orElseThrow());
        assertEquals(true, m.eof());
        Message j = WsJson.decode(json, "{\"verb\":\"PUT\",\"to\":\"/a\",\"from\":\"/b\",\"type\":\"j\",\"body\":\"q\\\"\"}").message();
        assertArrayEquals("\"q\\\"\"".getBytes(StandardCharsets.UTF_8), j.body());
    }

    @Test
    void badFramesAreTypedErrorsNotExceptions() {
        String[] bad = {"{nope", "[]", "{\"verb\":\"FETCH\",\"to\":\"/a\",\"from\":\"/b\"}",
            "{\"verb\":\"GET\",\"to\":\"a\",\"from\":\"/b\"}", "{\"verb\":\"GET\",\"to\":\"/a\"}",
            "{\"verb\":\"GET\",\"to\":\"/a\",\"from\":\"/b\",\"flow\":101}",
            "{\"verb\":\"GET\",\"to\":\"/a\",\"from\":\"/b\",\"status\":200}",
            "{\"verb\":\"PUT\",\"to\":\"/a\",\"from\":\"/b\",\"type\":\"o\",\"body\":\"!!\"}",
            "{\"verb\":\"PUT\",\"to\":\"/a\",\"from\":\"/b\",\"type\":\"t\",\"body\":[1]}",
            "{\"verb\":\"GET\",\"to\":\"/a\",\"from\":\"/b\"} {}", ""};
        for (String b : bad) {
            WsJson.Result r = WsJson.decode(json, b);
            assertNull(r.message(), b);
            assertNotNull(r.error(), b);
        }
    }

    @Test
    void invalidJsonFromADeviceIsShownAsText() {
        Message m = Message.builder(Verb.REP, Path.of("/r"), Path.of("/x"))
                .body(BodyType.JSON, "{broken".getBytes(StandardCharsets.UTF_8)).build();
        Message back = WsJson.decode(json, WsJson.encode(json, m, m.to())).message();
        assertEquals(BodyType.TEXT, back.bodyType().orElseThrow());
        assertEquals("{broken", new String(back.body(), StandardCharsets.UTF_8));
    }
}

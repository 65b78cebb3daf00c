package dev.ferry.edge.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.core.JsonFactory;
import dev.ferry.edge.route.Meta;
import dev.ferry.edge.route.Principal;
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
    void cacheHintsInAndFreshnessOut() {
        WsJson.Result r = WsJson.decode(json,
                "{\"verb\":\"GET\",\"to\":\"/a\",\"from\":\"/b\",\"maxAge\":2500,\"acceptStale\":true}");
        assertNull(r.error());
        assertEquals(2500, r.maxAgeMs());
        assertEquals(true, r.acceptStale());
        WsJson.Result plain = WsJson.decode(json, "{\"verb\":\"GET\",\"to\":\"/a\",\"from\":\"/b\"}");
        assertEquals(-1, plain.maxAgeMs());
        assertEquals(false, plain.acceptStale());
        for (String bad : new String[] {"\"maxAge\":-1", "\"maxAge\":\"5\"", "\"acceptStale\":1"}) {
            assertNotNull(WsJson.decode(json, "{\"verb\":\"GET\",\"to\":\"/a\",\"from\":\"/b\"," + bad + "}").error(), bad);
        }
        Message rep = Message.builder(Verb.REP, Path.of("/b"), Path.of("/a#obs/x")).eof(false)
                .body(BodyType.JSON, "1".getBytes(StandardCharsets.UTF_8)).build();
        Meta stale = Meta.of(Principal.RUNTIME).withFreshness(1200, true, true);
        assertEquals("{\"verb\":\"REP\",\"to\":\"/b\",\"from\":\"/a#obs/x\",\"eof\":false,\"status\":200,"
                + "\"age\":1200,\"cached\":true,\"stale\":true,\"type\":\"j\",\"body\":1}",
                WsJson.encode(json, rep, rep.to(), stale));
        assertEquals(WsJson.encode(json, rep, rep.to()), WsJson.encode(json, rep, rep.to(), Meta.of(Principal.RUNTIME)),
                "a reply that says nothing about freshness has no such fields");
        assertEquals(rep, WsJson.decode(json, WsJson.encode(json, rep, rep.to(), stale)).message(),
                "a client that sends a reply frame back is not confused by them");
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

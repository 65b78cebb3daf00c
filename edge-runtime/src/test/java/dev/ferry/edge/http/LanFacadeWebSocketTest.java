package dev.ferry.edge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ferry.rp.Path;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.WebSocket;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("system")
class LanFacadeWebSocketTest {
    private static final JsonFactory JSON = new JsonFactory();
    private FacadeFixture fx;
    private final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>(10_000);

    @BeforeEach
    void setUp() throws Exception {
        fx = new FacadeFixture();
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private WebSocket connect(String rawPath) throws Exception {
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    frames.offer(partial.toString());
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }
        };
        return fx.client.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + fx.facade.port() + rawPath), listener)
                .get(5, TimeUnit.SECONDS);
    }

    /** Top-level fields of a frame; strings unquoted, other values as JSON text. */
    static Map<String, String> fields(String frame) throws IOException {
        Map<String, String> out = new HashMap<>();
        try (JsonParser p = JSON.createParser(frame)) {
            assertEquals(JsonToken.START_OBJECT, p.nextToken(), frame);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (t == JsonToken.VALUE_STRING) {
                    out.put(name, p.getText());
                } else {
                    StringWriter w = new StringWriter();
                    try (JsonGenerator g = JSON.createGenerator(w)) {
                        g.copyCurrentStructure(p);
                    }
                    out.put(name, w.toString());
                }
            }
        }
        return out;
    }

    private Map<String, String> next() throws Exception {
        String f = frames.poll(5, TimeUnit.SECONDS);
        assertNotNull(f, "no frame arrived");
        return fields(f);
    }

    private static void send(WebSocket ws, String text) throws Exception {
        ws.sendText(text, true).get(5, TimeUnit.SECONDS);
    }

    @Test
    void twoInterleavedStreamsBadJsonAndCancelOnClose() throws Exception {
        fx.device.deletes = new CountDownLatch(2);
        WebSocket ws = connect("/%23ws");
        send(ws, "{\"verb\":\"GET\",\"to\":\"/dev0/obs\",\"from\":\"/r/1\",\"eof\":false}");
        send(ws, "{\"verb\":\"GET\",\"to\":\"/dev0/obs\",\"from\":\"/#r/2\",\"eof\":false}");
        Map<String, Integer> counts = new HashMap<>();
        Map<String, String> streamOf = new HashMap<>();
        while (counts.getOrDefault("/r/1", 0) < 3 || counts.getOrDefault("/#r/2", 0) < 3) {
            Map<String, String> f = next();
            assertEquals("REP", f.get("verb"), f.toString());
            assertEquals("false", f.get("eof"));
            assertEquals("j", f.get("type"));
            assertTrue(f.get("body").startsWith("{\"n\":"), f.toString());
            counts.merge(f.get("to"), 1, Integer::sum);
            streamOf.put(f.get("to"), f.get("from"));
            assertTrue(counts.size() <= 2, "replies only to the client's own paths: " + counts);
        }
        assertNotEquals(streamOf.get("/r/1"), streamOf.get("/#r/2"));
        assertTrue(streamOf.get("/r/1").startsWith("/dev0/obs#streams/"), streamOf.toString());

        send(ws, "{\"verb\":\"GET\",\"to\":\"/dev0/sensors/temp\",\"from\":\"/r/3\"}");
        send(ws, "{nope");
        boolean sawReply = false;
        boolean sawError = false;
        while (!sawReply || !sawError) {
            Map<String, String> f = next();
            if ("/r/3".equals(f.get("to"))) {
                assertEquals("true", f.get("eof"));
                assertEquals("200", f.get("status"));
                assertEquals("{\"celsius\":21.5}", f.get("body"));
                sawReply = true;
            } else if (f.containsKey("error")) {
                assertEquals("bad_json", f.get("error"));
                assertTrue(f.get("detail").startsWith("bad JSON"), f.toString());
                sawError = true;
            }
        }
        assertEquals(1, fx.dropped("bad_json"));
        send(ws, "{\"verb\":\"GET\",\"to\":\"/dev0/teapot\",\"from\":\"/r/4\"}");
        Map<String, String> f;
        do {
            f = next();
        } while (!"/r/4".equals(f.get("to")));
        assertEquals("ERROR", f.get("verb"), "the socket still works after bad JSON");
        assertEquals("418", f.get("status"));
        assertEquals("t", f.get("type"));

        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        assertTrue(fx.device.deletes.await(5, TimeUnit.SECONDS), "both streams cancelled at the device");
        Set<Path> deleted = new HashSet<>(fx.device.deleted);
        assertEquals(Set.of(Path.of(streamOf.get("/r/1").substring(5)), Path.of(streamOf.get("/#r/2").substring(5))),
                deleted);
    }

    @Test
    void plainWsPathAndRequestBodies() throws Exception {
        WebSocket ws = connect("/ws");
        send(ws, "{\"verb\":\"PUT\",\"to\":\"/dev0/echo\",\"from\":\"/p\",\"type\":\"j\",\"body\":{\"on\":[1,2]}}");
        Map<String, String> f = next();
        assertEquals("/p", f.get("to"));
        assertEquals("{\"on\":[1,2]}", f.get("body"));
        send(ws, "{\"verb\":\"POST\",\"to\":\"/dev0/echo\",\"from\":\"/q\",\"type\":\"o\",\"body\":\"AAEC/w==\"}");
        f = next();
        assertEquals("201", f.get("status"));
        assertEquals("o", f.get("type"));
        assertEquals("AAEC/w==", f.get("body"));
        var atDevice = fx.device.received.poll(5, TimeUnit.SECONDS);
        assertEquals("/#lan", atDevice.from().toString().substring(0, 5));
        send(ws, "{\"verb\":\"FETCH\",\"to\":\"/dev0/echo\",\"from\":\"/q\"}");
        f = next();
        assertEquals("bad_json", f.get("error"));
        assertTrue(f.get("detail").contains("unknown verb"), f.toString());
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    }
}

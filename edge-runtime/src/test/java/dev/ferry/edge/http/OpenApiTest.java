package dev.ferry.edge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ferry.edge.runtime.DeviceCatalog;
import dev.ferry.edge.runtime.RuntimeResource;
import dev.ferry.rp.Path;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class OpenApiTest {
    @Test
    void schemasAreReadAsTheFirmwareAndTheRuntimeWriteThem() {
        OpenApi.Schema temp = OpenApi.parse("{\"verbs\":[\"GET\"],\"types\":[\"j\"],\"observe\":[\"E0\",\"#changes\"],\"in\":\"ms\"}");
        assertEquals(Set.of("GET"), temp.verbs());
        assertTrue(temp.observable());
        assertEquals("ms", temp.in());
        OpenApi.Schema runtime = OpenApi.parse("{\"verbs\":[\"GET\"],\"type\":\"j\",\"observable\":\"every second\"}");
        assertEquals(List.of("j"), runtime.types());
        assertNull(OpenApi.parse("[1]"));
        assertNull(OpenApi.parse("{\"verbs\":[\"BREW\"]}"), "no verb the facade maps");
        assertNull(OpenApi.parse("{\"verbs\":[\"GET\"],\"in\":\"a b\"}").in(), "not a parameter name");
    }

    @Test
    void documentHasAnOperationPerVerbAndEscapesHash() throws Exception {
        DeviceCatalog.Device d = new DeviceCatalog.Device("dev0", Path.of("/dev0"), "host-sim", "0.1.0", List.of(
                new DeviceCatalog.Resource("/leds/0", "{\"verbs\":[\"GET\",\"PUT\"],\"types\":[\"j\"]}"),
                new DeviceCatalog.Resource("/blob", "{\"verbs\":[\"GET\"],\"types\":[\"o\"],\"in\":\"KiB\"}"),
                new DeviceCatalog.Resource("/broken", "not json")), true);
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            OpenApi.write(g, "gw", "1.0", List.of(d), List.of(new RuntimeResource("peers/gw-b", x -> { }, true,
                    "{\"verbs\":[\"GET\"],\"type\":\"j\"}")));
        }
        String doc = w.toString();
        assertTrue(doc.contains("\"/dev0/leds/0\":{\"get\":{\"operationId\":\"dev0_leds_0_get\""), doc);
        assertTrue(doc.contains("\"put\":{\"operationId\":\"dev0_leds_0_put\""), doc);
        assertTrue(doc.contains("\"parameters\":[{\"name\":\"kib\",\"in\":\"query\""), doc);
        assertTrue(doc.contains("\"/%23runtime/peers/gw-b\""), doc);
        assertTrue(!doc.contains("/broken") && !doc.contains("\"/#"), doc);
    }
}

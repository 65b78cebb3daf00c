package dev.ferry.edge.resi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.proto.resi.Extension;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class ExtensionJsonTest {
    private static Extension parse(String json) {
        return ExtensionJson.parse(json.getBytes(StandardCharsets.UTF_8), 16);
    }

    private static String refusal(String json) {
        return assertThrows(IllegalArgumentException.class, () -> parse(json)).getMessage();
    }

    @Test
    void textDataAndDefaults() {
        Extension e = parse("{\"id\": 77, \"text\": \"hi\"}");
        assertEquals(77, e.getId());
        assertTrue(e.getPass(), "pass defaults to true");
        assertEquals("hi", e.getData().toStringUtf8());
        Extension b = parse("{\"id\": 4294967295, \"pass\": false, \"data\": \"AAEC\"}");
        assertEquals(-1, b.getId());
        assertFalse(b.getPass());
        assertEquals(3, b.getData().size());
        assertEquals(0, parse("{\"id\": 0}").getData().size());
    }

    @Test
    void everyMistakeIsNamed() {
        assertEquals("id: required", refusal("{\"pass\": true}"));
        assertTrue(refusal("{\"id\": -1}").startsWith("id: expected an integer"));
        assertTrue(refusal("{\"id\": 4294967296}").startsWith("id: expected an integer"));
        assertTrue(refusal("{\"id\": \"7\"}").startsWith("id: expected an integer"));
        assertTrue(refusal("{\"id\": 7, \"pass\": 1}").startsWith("pass: expected"));
        assertTrue(refusal("{\"id\": 7, \"data\": \"!!\"}").startsWith("data: not base64"));
        assertTrue(refusal("{\"id\": 7, \"data\": \"AA==\", \"text\": \"x\"}").startsWith("text: expected one string"));
        assertTrue(refusal("{\"id\": 7, \"colour\": 1}").startsWith("unknown field colour"));
        assertTrue(refusal("[1]").startsWith("expected a JSON object"));
        assertTrue(refusal("{\"id\": 7} {}").startsWith("expected one JSON object"));
        assertTrue(refusal("{\"id\": 7, ").startsWith("not JSON"));
        assertEquals("data: 17 bytes, at most 16", refusal("{\"id\": 7, \"text\": \"12345678901234567\"}"));
    }
}

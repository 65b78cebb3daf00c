package dev.ferry.edge.resi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.ByteString;
import dev.ferry.edge.proto.resi.Extension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The JSON a user writes to send a Modify extension ({@code POST /#runtime/peers/<id>/modify}):
 * {@code {"id": 77, "pass": true, "data": "<base64>"}} or {@code "text": "<UTF-8>"} instead of
 * {@code data}. {@code id} is required (0..4294967295), {@code pass} defaults to true, no data is
 * an empty payload. Anything else is refused with a reason naming the field. Stateless.
 */
public final class ExtensionJson {
    private static final JsonFactory JSON = new JsonFactory();

    private ExtensionJson() { }

    /**
     * Parses {@code body}, at most {@code maxData} payload bytes.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Extension parse(byte[] body, int maxData) {
        Long id = null;
        boolean pass = true;
        byte[] data = null;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("expected a JSON object such as {\"id\": 77, \"pass\": true, \"text\": \"hi\"}");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "id" -> {
                        if (v != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0 || p.getLongValue() > 0xFFFF_FFFFL) {
                            throw new IllegalArgumentException("id: expected an integer 0..4294967295");
                        }
                        id = p.getLongValue();
                    }
                    case "pass" -> {
                        if (!v.isBoolean()) {
                            throw new IllegalArgumentException("pass: expected true or false");
                        }
                        pass = p.getBooleanValue();
                    }
                    case "data", "text" -> {
                        if (v != JsonToken.VALUE_STRING || data != null) {
                            throw new IllegalArgumentException(name + ": expected one string (data: base64, or text)");
                        }
                        data = name.equals("text") ? p.getText().getBytes(StandardCharsets.UTF_8) : base64(p.getText());
                    }
                    default -> throw new IllegalArgumentException("unknown field " + name
                            + " (expected id, pass, data or text)");
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IllegalArgumentException("expected one JSON object");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (id == null) {
            throw new IllegalArgumentException("id: required");
        }
        if (data != null && data.length > maxData) {
            throw new IllegalArgumentException("data: " + data.length + " bytes, at most " + maxData);
        }
        return Extension.newBuilder().setId((int) (long) id).setPass(pass)
                .setData(data == null ? ByteString.EMPTY : ByteString.copyFrom(data)).build();
    }

    private static byte[] base64(String s) {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("data: not base64 (" + e.getMessage() + ")", e);
        }
    }
}

package dev.ferry.edge.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Newline-delimited JSON ({@code application/x-ndjson}) for a stream of RP replies: one line per
 * REP, so that a client reading an observation without SSE can tell the readings apart. A JSON
 * body is the line as it is (line breaks outside strings become spaces; inside strings JSON has
 * them escaped already), a text body a JSON string, any other body a JSON string of its base64,
 * no body {@code null}. Pure.
 */
final class Ndjson {
    /** The Content-Type of an NDJSON response. */
    static final String CONTENT_TYPE = "application/x-ndjson";

    private static final JsonFactory JSON = new JsonFactory();

    private Ndjson() { }

    /** The line (with its {@code \n}) for one REP. */
    static byte[] line(Message m) {
        BodyType type = m.bodyType().orElse(null);
        byte[] body = m.body();
        if (type == null || body.length == 0 && !BodyType.TEXT.equals(type)) {
            return "null\n".getBytes(StandardCharsets.US_ASCII);
        }
        if (type.equals(BodyType.JSON)) {
            byte[] out = new byte[body.length + 1];
            for (int i = 0; i < body.length; i++) {
                out[i] = body[i] == '\n' || body[i] == '\r' ? (byte) ' ' : body[i];
            }
            out[body.length] = '\n';
            return out;
        }
        String s = HttpMapping.isText(type) ? new String(body, StandardCharsets.UTF_8)
                : Base64.getEncoder().encodeToString(body);
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() + 4);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // in memory
        }
        out.write('\n');
        return out.toByteArray();
    }
}

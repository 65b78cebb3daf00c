package dev.ferry.edge.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Server-Sent Events text for RP replies: a REP is one {@code data:} event with an {@code id:}
 * (JSON bodies on one line as they are, text as it is, anything else base64); an ERROR is an
 * {@code event: error} whose data is {@code {"status":..,"reason":..}}; an observation starts
 * with {@code event: stream} naming its stream path. Pure functions.
 */
final class SseFormat {
    /** A comment line that keeps proxies and browsers from timing the stream out. */
    static final String HEARTBEAT = ": hb\n\n";

    private SseFormat() { }

    /** The event for a REP. */
    static String event(long id, Message m) {
        StringBuilder sb = new StringBuilder(m.bodyLength() + 32);
        sb.append("id: ").append(id).append('\n');
        BodyType type = m.bodyType().orElse(null);
        byte[] body = m.body();
        String payload;
        if (type == null) {
            payload = "";
        } else if (type.equals(BodyType.JSON)) {
            // newlines outside JSON strings are whitespace; inside strings they are escaped
            payload = new String(body, StandardCharsets.UTF_8).replace('\r', ' ').replace('\n', ' ');
        } else if (HttpMapping.isText(type)) {
            payload = new String(body, StandardCharsets.UTF_8);
        } else {
            payload = Base64.getEncoder().encodeToString(body);
        }
        appendData(sb, payload);
        return sb.append('\n').toString();
    }

    /**
     * The first event of an observation: {@code event: stream} with {@code {"stream":"<path>"}},
     * the stream path a client pauses ({@code PUT <path>#flow}) or cancels ({@code DELETE <path>}).
     */
    static String stream(JsonFactory json, String streamPath) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = json.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("stream", streamPath);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // a StringWriter does not fail
        }
        return "event: stream\ndata: " + w + "\n\n";
    }

    /** The event for an ERROR (the stream closes after it). */
    static String error(JsonFactory json, Message m) {
        String reason = new String(m.body(), StandardCharsets.UTF_8);
        StringWriter w = new StringWriter();
        try (JsonGenerator g = json.createGenerator(w)) {
            g.writeStartObject();
            g.writeNumberField("status", m.status());
            g.writeStringField("reason", reason);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // a StringWriter does not fail
        }
        return "event: error\ndata: " + w + "\n\n";
    }

    private static void appendData(StringBuilder sb, String payload) {
        int start = 0;
        String p = payload.replace("\r\n", "\n").replace('\r', '\n');
        while (true) {
            int nl = p.indexOf('\n', start);
            sb.append("data: ").append(p, start, nl < 0 ? p.length() : nl).append('\n');
            if (nl < 0) {
                return;
            }
            start = nl + 1;
        }
    }
}

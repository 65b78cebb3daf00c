package dev.ferry.edge.rendezvous;

import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import dev.ferry.edge.runtime.Json;
import dev.ferry.edge.runtime.RuntimeResource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The registry as {@code /#runtime} JSON. {@link #resource} is {@code /#runtime/rendezvous}
 * (every namespace: {@code {"<ns>":[{"id":…,"addrs":[…]}…]…}}); {@link #namespace} renders
 * {@code /#runtime/rendezvous/<ns>} ({@code {"ns":…,"registrations":[…]}}), for when
 * RuntimeResources serves paths below a resource. An address is shown as its UTF-8 text, or as
 * {@code "0x<hex>"} when it is not valid UTF-8. Push changes with
 * {@code registry.addListener(RendezvousListener.onChange(ns -> runtime.changed("rendezvous")))}.
 */
public final class RendezvousRuntime {
    private static final String SCHEMA = "{\"verbs\":[\"GET\"],\"type\":\"j\"}";

    private RendezvousRuntime() { }

    /** {@code rendezvous}: all namespaces; observable (pushed when the lead calls changed). */
    public static RuntimeResource resource(RendezvousRegistry registry) {
        return new RuntimeResource("rendezvous", g -> {
            g.writeStartObject();
            for (Map.Entry<String, List<Registration>> e : registry.snapshot().entrySet()) {
                g.writeFieldName(e.getKey());
                writeList(g, e.getValue());
            }
            g.writeEndObject();
        }, false, SCHEMA);
    }

    /** The JSON of one namespace (an empty list when it has no registrations). */
    public static Json.Writer namespace(RendezvousRegistry registry, String ns) {
        return g -> {
            g.writeStartObject();
            g.writeStringField("ns", ns);
            g.writeFieldName("registrations");
            writeList(g, registry.registrations(ns));
            g.writeEndObject();
        };
    }

    private static void writeList(JsonGenerator g, List<Registration> regs) throws IOException {
        g.writeStartArray();
        for (Registration r : regs) {
            g.writeStartObject();
            g.writeStringField("id", r.id());
            g.writeArrayFieldStart("addrs");
            for (ByteString a : r.addrs()) {
                g.writeString(text(a));
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    static String text(ByteString a) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(a.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return "0x" + HexFormat.of().formatHex(a.toByteArray());
        }
    }
}

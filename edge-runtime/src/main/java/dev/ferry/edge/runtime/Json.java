package dev.ferry.edge.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Small helper to write a JSON document with jackson-core's streaming generator. */
public final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();

    /** Writes one JSON document. */
    @FunctionalInterface
    public interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    private Json() { }

    /** The UTF-8 bytes of the document {@code w} writes. */
    public static byte[] bytes(Writer w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            w.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory", e);
        }
        return out.toByteArray();
    }

    public static JsonFactory factory() {
        return FACTORY;
    }
}

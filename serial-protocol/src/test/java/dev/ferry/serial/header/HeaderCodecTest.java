package dev.ferry.serial.header;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.rp.BodyType;
import dev.ferry.rp.DecodeError;
import dev.ferry.rp.Decoded;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class HeaderCodecTest {
    private final HeaderCodec codec = new TextHeaderCodec();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void workedExampleIs25Bytes() {
        Message m = Message.builder(Verb.GET, Path.of("/sensors/temp"), Path.of("/#r/42")).build();
        assertArrayEquals(b("GET /sensors/temp\n/#r/42\n"), codec.encode(m));
    }

    @Test
    void canonicalFormOmitsDefaultsAndWritesLength() {
        Message m = Message.builder(Verb.ERROR, Path.of("/#r/1"), Path.of("/a/#x")).eof(false).flow(7)
                .status(404).body(BodyType.TEXT, b("no")).build();
        assertEquals("ERROR /#r/1\n/a#x\nE0\nF7\nS404\nTt\nL2\n\nno",
                new String(codec.encode(m), StandardCharsets.ISO_8859_1));
        assertEquals(m, codec.decode(codec.encode(m)).value());
        Message octets = Message.builder(Verb.REP, Path.of("/a"), Path.of("/b")).status(200)
                .body(null, new byte[] {0, 10}).build();
        assertEquals("REP /a\n/b\nL2\n\n\0\n", new String(codec.encode(octets), StandardCharsets.ISO_8859_1));
        assertEquals(BodyType.OCTETS, codec.decode(codec.encode(octets)).value().bodyType().orElseThrow());
    }

    @Test
    void headerLimitIsConfigurable() {
        byte[] msg = b("GET /x\n/#r/1\nzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz\n");
        assertEquals(Verb.GET, codec.decode(msg).value().verb());
        assertEquals(Decoded.error(DecodeError.BAD_HEADER), new TextHeaderCodec(32).decode(msg));
    }

    @Test
    void badInputIsTypedNeverThrown() {
        assertEquals(DecodeError.UNKNOWN_VERB, codec.decode(b("FETCH /x\n/y\n")).error());
        assertEquals(DecodeError.BAD_PATH, codec.decode(b("GET /x\n/y/../z\n")).error());
        assertEquals(DecodeError.BAD_HEADER, codec.decode(b("GET /x\n/y\nS200\n")).error());
        assertEquals(DecodeError.BAD_HEADER, codec.decode(b("GET /x\n/y\nE0\nE0\n")).error());
        assertEquals(DecodeError.BAD_HEADER, codec.decode(b("GET /x\n/y\n1x\n")).error());
        assertEquals(DecodeError.BAD_HEADER, codec.decode(new byte[0]).error());
    }

    @Test
    void messageDefensiveCopiesAndValidation() {
        byte[] body = b("abc");
        Message m = Message.builder(Verb.PUT, Path.of("/a"), Path.of("/b")).body(BodyType.JSON, body).build();
        body[0] = 'X';
        m.body()[1] = 'Y';
        assertArrayEquals(b("abc"), m.body());
        assertThrows(IllegalArgumentException.class,
                () -> Message.builder(Verb.GET, Path.of("/a"), Path.of("/b")).status(200).build());
        assertThrows(IllegalArgumentException.class,
                () -> Message.builder(Verb.GET, Path.of("/a"), Path.of("/b")).flow(101).build());
        assertEquals(Path.of("/a/#x"), Path.of("/a#x"));
        assertEquals(DecodeError.BAD_PATH, Path.parse("/a b").error());
    }
}

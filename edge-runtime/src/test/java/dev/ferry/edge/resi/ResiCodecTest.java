package dev.ferry.edge.resi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.edge.proto.resi.Envelope;
import dev.ferry.edge.proto.resi.RpMessage;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class ResiCodecTest {
    @Test
    void rpMessagesRoundTrip() throws Exception {
        Message m = Message.builder(Verb.REP, Path.of("/#requests/7"), Path.of("/dev0/#streams/2"))
                .eof(false).flow(40).status(203).body(BodyType.JSON, "{\"t\":21}".getBytes(StandardCharsets.UTF_8))
                .build();
        byte[] wire = Envelope.newBuilder().setSeq(5).setRp(ResiCodec.toProto(m)).build().toByteArray();
        assertEquals(m, ResiCodec.fromProto(Envelope.parseFrom(wire).getRp()));
        Message get = Message.builder(Verb.GET, Path.of("/a"), Path.of("/b")).build();
        assertEquals(get, ResiCodec.fromProto(ResiCodec.toProto(get)));
    }

    @Test
    void badFieldsAreTypedErrors() {
        RpMessage noVerb = RpMessage.newBuilder().setTo("/a").setFrom("/b").build();
        assertThrows(IllegalArgumentException.class, () -> ResiCodec.fromProto(noVerb));
        RpMessage badPath = RpMessage.newBuilder().setVerbValue(1).setTo("a/../b").setFrom("/b").build();
        assertThrows(IllegalArgumentException.class, () -> ResiCodec.fromProto(badPath));
    }
}

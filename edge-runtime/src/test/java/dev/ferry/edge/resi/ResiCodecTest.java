package dev.ferry.edge.resi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.edge.proto.resi.Envelope;
import dev.ferry.edge.proto.resi.RpMessage;
import dev.ferry.edge.route.Meta;
import dev.ferry.edge.route.Principal;
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
    void cacheHintsAndFreshnessTravelBesideTheMessage() throws Exception {
        Message get = Message.builder(Verb.GET, Path.of("/dev0/t"), Path.of("/a#obs/1")).eof(false).build();
        Principal gwB = Principal.peer("gw-b");
        RpMessage plain = ResiCodec.toProto(get, Meta.of(Principal.RUNTIME));
        assertEquals(ResiCodec.toProto(get), plain, "nothing to say: the same bytes as before");
        assertNull(ResiCodec.meta(plain, gwB));
        Meta hints = Meta.of(Principal.RUNTIME).withCache(0, true);
        byte[] wire = Envelope.newBuilder().setSeq(9).setRp(ResiCodec.toProto(get, hints)).build().toByteArray();
        RpMessage back = Envelope.parseFrom(wire).getRp();
        assertEquals(get, ResiCodec.fromProto(back));
        assertEquals(new Meta(gwB, 0, true, -1, false, false), ResiCodec.meta(back, gwB),
                "max-age 0 is not 'absent'; the principal is the receiver's name for the peer");
        Meta fresh = Meta.of(Principal.RUNTIME).withFreshness(1234, true, true);
        RpMessage rep = ResiCodec.toProto(Message.builder(Verb.REP, Path.of("/x"), Path.of("/y")).build(), fresh);
        assertEquals(new Meta(gwB, -1, false, 1234, true, true), ResiCodec.meta(rep, gwB));
        RpMessage huge = rep.toBuilder().setAgeMs(-1L).setMaxAgeMs(Long.MAX_VALUE).build();   // 2^64-1 on the wire
        Meta clamped = ResiCodec.meta(huge, gwB);
        assertEquals(ResiCodec.MAX_AGE_MS, clamped.ageMs());
        assertEquals(ResiCodec.MAX_AGE_MS, clamped.maxAgeMs());
    }

    @Test
    void badFieldsAreTypedErrors() {
        RpMessage noVerb = RpMessage.newBuilder().setTo("/a").setFrom("/b").build();
        assertThrows(IllegalArgumentException.class, () -> ResiCodec.fromProto(noVerb));
        RpMessage badPath = RpMessage.newBuilder().setVerbValue(1).setTo("a/../b").setFrom("/b").build();
        assertThrows(IllegalArgumentException.class, () -> ResiCodec.fromProto(badPath));
    }
}

package dev.ferry.edge.resi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import dev.ferry.edge.proto.resi.Envelope;
import dev.ferry.edge.proto.resi.RpMessage;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class ArrivalTest {
    private static final RpMessage RP = ResiCodec.toProto(Message.builder(Verb.POST, Path.of("/a/in"), Path.of("/b"))
            .body(BodyType.OCTETS, new byte[] {1, 2, 3}).build());

    private static byte[] env(long seq, long ack, RpMessage rp) {
        return Envelope.newBuilder().setSeq(seq).setAck(ack).setRp(rp).build().toByteArray();
    }

    @Test
    void skimReadsTheHeaderWithoutParsing() throws Exception {
        Arrival a = Arrival.skim(env(300, 7, RP));
        assertNotNull(a);
        assertEquals(300, a.seq());
        assertEquals(7, a.ack());
        assertTrue(a.isSequencedBody());
        a.prepare();
        assertEquals(RP, a.parsedEnvelope().getRp());
        assertEquals(Path.of("/a/in"), a.message().to());
        Arrival ping = Arrival.skim(Envelopes.ping(1, 2, 3));
        assertNotNull(ping);
        assertFalse(ping.isSequencedBody());
        Arrival ack = Arrival.skim(Envelopes.ack(9));
        assertEquals(9, ack.ack());
        assertFalse(ack.isSequencedBody());
    }

    @Test
    void skimRefusesEveryTruncationAndBrokenLength() {
        byte[] whole = env(5, 1, RP); // 08 05 10 01 52 <length> <body>: cuts before 5 are whole fields
        for (int cut = 5; cut < whole.length; cut++) {
            assertNull(Arrival.skim(Arrays.copyOf(whole, cut)), "cut at " + cut);
        }
        byte[] longer = whole.clone();
        longer[5] = (byte) 0x7F; // the RP body claims more bytes than there are
        assertNull(Arrival.skim(longer));
        assertNull(Arrival.skim(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01}));
        assertNull(Arrival.skim(new byte[] {0x03})); // a group start
    }

    @Test
    void sameContentIgnoresTheAckAndSeesAnyChangedByte() {
        Arrival a = Arrival.skim(env(3, 10, RP));
        Arrival b = Arrival.skim(env(3, 12, RP));
        Arrival c = Arrival.skim(env(3, 10, RP.toBuilder().setTo("/c").build()));
        assertTrue(Arrival.sameContent(a, b));
        assertFalse(Arrival.sameContent(a, c));
        assertFalse(Arrival.sameContent(a, Arrival.skim(env(4, 10, RP))));
        byte[] flipped = env(3, 10, RP);
        flipped[flipped.length - 1] ^= 1; // last body byte
        assertFalse(Arrival.sameContent(a, Arrival.skim(flipped)));
    }

    @Test
    void anotherFieldOrderIsComparedOnAReEncoding() throws Exception {
        // body first, then seq and ack: legal protobuf, not what this build writes
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeMessage(10, RP);
        out.writeUInt64(1, 3);
        out.writeUInt64(2, 99);
        out.flush();
        Arrival odd = Arrival.skim(bytes.toByteArray());
        assertEquals(3, odd.seq());
        assertEquals(99, odd.ack());
        assertTrue(odd.isSequencedBody());
        assertTrue(Arrival.sameContent(odd, Arrival.skim(env(3, 10, RP))));
    }
}

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

    @Test
    void theIntegrityCheckCatchesEverySingleBitFlip() {
        byte[] sealed = SequencedEnvelope.stamp(300, 7, SequencedEnvelope.body(Envelope.newBuilder().setRp(RP)));
        assertEquals(EnvelopeCheck.Verdict.OK, Arrival.skim(sealed).integrity());
        for (int i = 0; i < sealed.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] flipped = sealed.clone();
                flipped[i] ^= (byte) (1 << bit);
                Arrival a = Arrival.skim(flipped);
                // refused by the skim, a failed check, or (the check's tag hit) no check: never OK
                assertTrue(a == null || a.integrity() != EnvelopeCheck.Verdict.OK, "byte " + i + " bit " + bit);
            }
        }
        byte[] control = Envelopes.pong(dev.ferry.edge.proto.resi.Ping.newBuilder().setNonce(5).build(), 9);
        assertEquals(EnvelopeCheck.Verdict.OK, Arrival.skim(control).integrity());
        control[2] ^= 0x40;
        Arrival bad = Arrival.skim(control);
        assertTrue(bad == null || bad.integrity() != EnvelopeCheck.Verdict.OK);
    }

    @Test
    void anEnvelopeWithoutACheckIsMissingAndAMalformedOneIsBad() {
        assertEquals(EnvelopeCheck.Verdict.MISSING, Arrival.skim(env(3, 1, RP)).integrity());
        byte[] two = Envelope.newBuilder().setSeq(3).setCrc(1).setRp(RP).build().toByteArray();
        byte[] twice = java.util.Arrays.copyOf(two, two.length + 5);
        System.arraycopy(new byte[] {0x1D, 1, 0, 0, 0}, 0, twice, two.length, 5);
        assertEquals(EnvelopeCheck.Verdict.BAD, Arrival.skim(twice).integrity(), "two checks");
        byte[] varintCheck = {0x08, 0x03, 0x18, 0x05}; // field 3 as a varint
        assertEquals(EnvelopeCheck.Verdict.BAD, Arrival.skim(varintCheck).integrity());
    }

    @Test
    void copiesWithTheSameBodyCompareEqualWhateverTheirChecks() {
        byte[] body = SequencedEnvelope.body(Envelope.newBuilder().setRp(RP));
        Arrival a = Arrival.skim(SequencedEnvelope.stamp(3, 10, body));
        Arrival b = Arrival.skim(SequencedEnvelope.stamp(3, 12, body)); // another ack, so another check
        assertTrue(Arrival.sameContent(a, b));
        assertTrue(Arrival.sameContent(a, Arrival.skim(env(3, 10, RP))), "an older peer's copy without a check");
    }
}

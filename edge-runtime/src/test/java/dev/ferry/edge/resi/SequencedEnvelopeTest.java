package dev.ferry.edge.resi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.edge.proto.resi.Envelope;
import dev.ferry.edge.proto.resi.Extension;
import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class SequencedEnvelopeTest {

    @Test
    void stampingABodyGivesTheSameBytesAsEncodingTheWholeEnvelopeWithItsCheck() {
        Envelope.Builder rp = Envelope.newBuilder().setRp(ResiCodec.toProto(PeerLinkStreamTest.numbered(42)));
        Envelope.Builder modify = Envelope.newBuilder().setModify(Envelopes.request(Extension.newBuilder()
                .setId(7).setPass(true).setData(ByteString.copyFromUtf8("x")).build()));
        long[][] seqAck = {{1, 0}, {1, 1}, {127, 128}, {300, 0}, {1L << 40, (1L << 40) - 1}, {Long.MAX_VALUE, 5}};
        for (Envelope.Builder b : new Envelope.Builder[] {rp, modify}) {
            byte[] body = SequencedEnvelope.body(b.clone());
            for (long[] sa : seqAck) {
                byte[] unchecked = b.clone().setSeq(sa[0]).setAck(sa[1]).build().toByteArray();
                int crc = EnvelopeCheck.crc(unchecked, -1); // the check covers the bytes without its field
                byte[] whole = b.clone().setSeq(sa[0]).setAck(sa[1]).setCrc(crc).build().toByteArray();
                byte[] stamped = SequencedEnvelope.stamp(sa[0], sa[1], body);
                assertArrayEquals(whole, stamped, "seq " + sa[0] + " ack " + sa[1]);
                assertEquals(EnvelopeCheck.Verdict.OK, Arrival.skim(stamped).integrity());
            }
        }
    }

    @Test
    void aBodyCarryingSeqOrAckIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SequencedEnvelope.body(Envelope.newBuilder().setSeq(1)));
        assertThrows(IllegalArgumentException.class, () -> SequencedEnvelope.body(Envelope.newBuilder().setAck(1)));
    }
}

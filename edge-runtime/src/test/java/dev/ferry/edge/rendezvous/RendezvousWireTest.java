package dev.ferry.edge.rendezvous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The wire bytes documented in RENDEZVOUS.md, and decoding of odd input. */
@Tag("small")
class RendezvousWireTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void registerBytesAsDocumented() {
        RendezvousMessage m = RendezvousMessage.register(List.of(Registration.of("my-app", "QmA", "AddressA")));
        byte[] wire = RendezvousWire.frame(m);
        assertEquals("1d080012190a066d792d617070120f0a03516d41120841646472657373" + "41", HEX.formatHex(wire));
        assertEquals(m, RendezvousWire.decode(java.util.Arrays.copyOfRange(wire, 1, wire.length),
                RendezvousLimits.defaults()).message());
    }

    @Test
    void discoverBytesAsDocumented() {
        assertEquals("0c08032a080a066d792d617070",
                HEX.formatHex(RendezvousWire.frame(RendezvousMessage.discover("my-app"))));
    }

    @Test
    void unknownFieldsAreSkippedAndWrongWireTypesRefused() {
        // type=RENDEZVOUS, unknown field 9 (varint 1), rendezvous{ns="a"}
        byte[] ok = HEX.parseHex("080248012203" + "0a0161");
        assertEquals(RendezvousMessage.rendezvous("a"), RendezvousWire.decode(ok, RendezvousLimits.defaults()).message());
        RendezvousWire.Parsed bad = RendezvousWire.decode(HEX.parseHex("0802" + "2001"), RendezvousLimits.defaults());
        assertFalse(bad.ok());
        assertEquals("bad_protobuf", bad.problem());
        assertEquals("bad_type", RendezvousWire.decode(new byte[0], RendezvousLimits.defaults()).problem());
    }
}

package dev.ferry.serial.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.serial.frame.Frame;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class SecondaryStationTest {
    private final SecondaryStation s = new SecondaryStation(3, LinkParams.of(64, 2), 4, 512, (a, m) -> { });

    private Frame snrm() {
        return new Frame(3, Control.u(Control.Unnumbered.SNRM, true).encode(), LinkParams.of(256, 7).encode());
    }

    @Test
    void disconnectedAnswersPollWithDmAndIgnoresOthers() {
        List<Frame> r = s.receive(new Frame(3, Control.s(Control.Supervisory.RR, 0, true).encode()));
        assertTrue(Control.decode(r.get(0).control()).is(Control.Unnumbered.DM));
        assertTrue(s.receive(new Frame(4, Control.s(Control.Supervisory.RR, 0, true).encode())).isEmpty());
        assertTrue(s.receive(new Frame(0xFF, snrm().control(), LinkParams.of(64, 1).encode())).isEmpty());
    }

    @Test
    void snrmAnswersUaWithOwnParameters() {
        List<Frame> r = s.receive(snrm());
        assertEquals(Control.u(Control.Unnumbered.UA, true).encode(), r.get(0).control());
        assertEquals(LinkParams.of(64, 2), LinkParams.decode(r.get(0).info()).orElseThrow());
        assertTrue(s.isConnected());
    }

    @Test
    void invalidNrAndLongInfoAndInvalidControlGiveFrmr() {
        s.receive(snrm());
        Frame bad = new Frame(3, Control.s(Control.Supervisory.RR, 3, true).encode());
        List<Frame> r = s.receive(bad);
        assertTrue(Control.decode(r.get(0).control()).is(Control.Unnumbered.FRMR));
        assertEquals(List.of((byte) bad.control(), (byte) 0, (byte) SecondaryStation.FRMR_Z),
                List.of(r.get(0).info()[0], r.get(0).info()[1], r.get(0).info()[2]));
        assertFalse(s.isConnected());
        s.receive(snrm());
        r = s.receive(new Frame(3, Control.i(0, 0, true).encode(), new byte[61]));
        assertEquals(SecondaryStation.FRMR_Y, r.get(0).infoByte(2));
        s.receive(snrm());
        r = s.receive(new Frame(3, 0x1D, new byte[0]));             // S-kind 11: invalid
        assertEquals(SecondaryStation.FRMR_W, r.get(0).infoByte(2));
        assertEquals(3, s.counters().frmrs());
    }

    @Test
    void discAnswersUaAndDisconnects() {
        s.receive(snrm());
        List<Frame> r = s.receive(new Frame(3, Control.u(Control.Unnumbered.DISC, true).encode()));
        assertTrue(Control.decode(r.get(0).control()).is(Control.Unnumbered.UA));
        assertFalse(s.isConnected());
    }

    private static Frame up(int... list) {
        byte[] b = new byte[list.length];
        for (int i = 0; i < list.length; i++) {
            b[i] = (byte) list[i];
        }
        return new Frame(0xFF, Control.u(Control.Unnumbered.UP, true).encode(), b);
    }

    private static Frame finalOf(int address) {
        return new Frame(address, Control.s(Control.Supervisory.RR, 0, true).encode());
    }

    @Test
    void upIsAnsweredInTurnAfterTheStationBeforeAndCancelledWhenThePrimarySpeaks() {
        s.receive(snrm());
        assertEquals(0x21, LinkParams.decode(s.receive(snrm()).get(0).info()).orElseThrow().version(),
                "2.1 to a 2.1 primary");
        List<Frame> r = s.receive(up(3, 5));
        assertTrue(Control.decode(r.get(0).control()).is(Control.Supervisory.RR) && r.get(0).address() == 3,
                "first listed: at once");
        assertTrue(s.receive(up(5, 3, 7)).isEmpty());
        assertTrue(s.receive(new Frame(5, Control.i(0, 0, false).encode(), new byte[] {(byte) 0x80})).isEmpty(),
                "5 still answering");
        assertTrue(s.receive(finalOf(7)).isEmpty(), "7 is after us");
        assertEquals(1, s.receive(finalOf(5)).size(), "5 ended: our turn");
        assertTrue(s.receive(finalOf(5)).isEmpty(), "once");
        assertTrue(s.receive(up(5, 3)).isEmpty());
        assertEquals(1, s.receive(new Frame(3, Control.s(Control.Supervisory.RR, 0, true).encode())).size());
        assertTrue(s.receive(finalOf(5)).isEmpty(), "a poll of our own cancelled the wait");
        assertTrue(s.receive(up(5, 3)).isEmpty());
        assertTrue(s.receive(up(8, 9)).isEmpty());
        assertTrue(s.receive(finalOf(5)).isEmpty(), "a UP without us cancelled the wait");
        assertTrue(s.receive(new Frame(0xFF, Control.u(Control.Unnumbered.UP, false).encode(), new byte[] {3}))
                .isEmpty(), "no P: no poll");
    }

    @Test
    void upToADisconnectedStationIsAnsweredWithDmInTurn() {
        assertTrue(Control.decode(s.receive(up(3)).get(0).control()).is(Control.Unnumbered.DM));
        assertTrue(s.receive(up(4, 3)).isEmpty());
        assertTrue(Control.decode(s.receive(finalOf(4)).get(0).control()).is(Control.Unnumbered.DM));
    }
}

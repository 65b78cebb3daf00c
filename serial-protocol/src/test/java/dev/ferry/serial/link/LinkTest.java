package dev.ferry.serial.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import dev.ferry.serial.frame.Frame;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("small")
class LinkTest {
    private static final int ADDR = 5;

    static Message msg(String to, int bodyLen, long seed) {
        byte[] body = new byte[bodyLen];
        new Random(seed).nextBytes(body);
        return Message.builder(Verb.POST, Path.of(to), Path.of("/#r/1")).body(null, body).build();
    }

    private static LinkHarness harness(int n, int k) {
        return harness(n, k, LinkParams.VERSION_LATEST);
    }

    private static LinkHarness harness(int n, int k, int version) {
        return new LinkHarness(PrimaryConfig.of(ADDR, LinkParams.of(n, k).withVersion(version))
                .withMaxMessageSize(70_000), LinkParams.of(n, k), 70_000, 42);
    }

    /** What the secondary sees of a host request: on version 2 its from is the exchange path /#x/N. */
    private static void assertArrived(Message sent, Message got, int version) {
        if (version >> 4 == 2) {
            assertTrue(got.from().toString().startsWith("/#x/"), got.toString());
            got = got.readdressed(got.to(), sent.from());
        }
        assertEquals(sent, got);
    }

    @Test
    void setupNegotiatesTheMinimum() {
        LinkHarness h = new LinkHarness(PrimaryConfig.of(ADDR, LinkParams.of(256, 4)), LinkParams.of(64, 7), 512, 1);
        List<Frame> first = h.turn();
        assertEquals(1, first.size());
        assertTrue(Control.decode(first.get(0).control()).is(Control.Unnumbered.SNRM));
        assertEquals(PrimaryStation.State.CONNECTED, h.primary.state());
        assertEquals(Optional.of(LinkParams.of(64, 4)), h.primary.negotiated());
        assertTrue(h.secondary.isConnected());
        assertEquals(List.of("up 64/4"), h.events);
    }

    @ParameterizedTest
    @CsvSource({"64,1,16", "64,4,32", "256,1,32", "256,4,16"})
    void message64KiBBothWaysOverLossyLine(int n, int k, int version) {
        LinkHarness h = harness(n, k, version);
        h.loss = 0.05;
        h.duplicate = 0.05;
        h.corrupt = 0.05;
        Message down = msg("/blob", 65_536, n * 10 + k);
        Message up = msg("/#r/9", 65_536, n * 10 + k + 1);
        assertTrue(h.primary.offer(down));
        assertTrue(h.secondary.offer(up));
        int turns = h.runUntil(() -> h.atSecondary.size() == 1 && h.atPrimary.size() == 1, 200_000);
        assertTrue(turns < 200_000, "not delivered; " + h.primary.counters());
        assertArrived(down, h.atSecondary.get(0), version);
        assertEquals(version >> 4, h.primary.version());
        assertArrayEquals(up.body(), h.atPrimary.get(0).body());
        assertTrue(h.corrupted > 0);
        assertTrue(h.primary.counters().retransmissions() > 0, h.primary.counters().toString());
        assertTrue(h.secondary.counters().retransmissions() > 0, h.secondary.counters().toString());
        assertTrue(h.primary.counters().timeouts() > 0);
        h.runUntil(() -> !h.primary.hasWork(), 1000);
        assertEquals(1, h.primary.counters().messagesSent());
    }

    @Test
    void windowLimitsIFramesAndPollsOnTheLast() {
        LinkHarness h = harness(64, 3);
        h.turn();
        for (int i = 0; i < 5; i++) {
            assertTrue(h.primary.offer(msg("/a", 10, i)));
        }
        List<Frame> sent = h.turn();
        assertEquals(3, sent.size());
        for (int i = 0; i < 3; i++) {
            Control c = Control.decode(sent.get(i).control());
            assertTrue(c.isI());
            assertEquals(i, c.ns());
            assertEquals(i == 2, c.pf());
        }
        h.runUntil(() -> h.atSecondary.size() == 5, 100);
        assertEquals(5, h.atSecondary.size());
    }

    @Test
    void offerFailsWhenQueueFull() {
        PrimaryStation p = new PrimaryStation(PrimaryConfig.of(ADDR, LinkParams.of(64, 1)).withQueueCapacity(2),
                (a, m) -> { });
        assertTrue(p.offer(msg("/a", 1, 1)));
        assertTrue(p.offer(msg("/a", 1, 2)));
        assertFalse(p.offer(msg("/a", 1, 3)));
        assertEquals(2, p.queued());
    }

    @Test
    void stationBusyStopsHostIFrames() {
        LinkHarness h = harness(64, 2);
        h.turn();
        h.secondary.setBusy(true);
        h.primary.offer(msg("/a", 300, 1));
        for (int i = 0; i < 10; i++) {
            h.turn();
        }
        assertTrue(h.primary.isPeerBusy());
        assertTrue(h.atSecondary.isEmpty());
        List<Frame> poll = h.turn();
        assertTrue(Control.decode(poll.get(0).control()).is(Control.Supervisory.RR), "only RR polls while RNR");
        h.secondary.setBusy(false);
        h.runUntil(() -> h.atSecondary.size() == 1, 100);
        assertEquals(1, h.atSecondary.size());
        assertFalse(h.primary.isPeerBusy());
    }

    @Test
    void hostBusyStopsStationIFrames() {
        LinkHarness h = harness(64, 2);
        h.turn();
        h.primary.setBusy(true);
        h.secondary.offer(msg("/#r/2", 300, 1));
        h.turn();
        List<Frame> poll = h.turn();
        assertTrue(Control.decode(poll.get(0).control()).is(Control.Supervisory.RNR));
        assertTrue(h.secondary.isPrimaryBusy());
        for (int i = 0; i < 10; i++) {
            h.turn();
        }
        assertTrue(h.atPrimary.isEmpty());
        h.primary.setBusy(false);
        h.runUntil(() -> h.atPrimary.size() == 1, 100);
        assertEquals(1, h.atPrimary.size());
    }

    @Test
    void dmFromResetStationLeadsToNewSetupAndResend() {
        LinkHarness h = harness(64, 4);
        h.turn();
        h.primary.offer(msg("/a", 400, 1));
        h.turn();                                    // some segments delivered
        h.secondary.reset();                         // power cycle: partial message lost
        h.turn();                                    // answered with DM
        assertEquals(PrimaryStation.State.DISCONNECTED, h.primary.state());
        assertEquals(1, h.primary.counters().dms());
        assertTrue(h.events.contains("down station sent DM (reset)"));
        h.runUntil(() -> h.atSecondary.size() == 1, 100);
        assertArrived(msg("/a", 400, 1), h.atSecondary.get(0), LinkParams.VERSION_LATEST);
        assertEquals(2, h.primary.counters().setups());
    }

    @Test
    void frmrIsCountedAndLinkSetUpAgain() {
        LinkHarness h = harness(64, 1);
        h.turn();
        h.primary.startTurn(h.now);
        h.primary.receive(new Frame(ADDR, Control.u(Control.Unnumbered.FRMR, true).encode(), new byte[] {(byte) 0xFD, 0, 1}), h.now);
        assertEquals(1, h.primary.counters().frmrs());
        assertFalse(h.primary.isAwaitingResponse());
        assertEquals(PrimaryStation.State.DISCONNECTED, h.primary.state());
        h.turn();
        assertEquals(PrimaryStation.State.CONNECTED, h.primary.state());
    }

    @Test
    void markedDownAfterTimeoutsThenReprobedWithBackoff() {
        PrimaryConfig pc = PrimaryConfig.of(ADDR, LinkParams.of(64, 1)).withTimeouts(3, 50_000_000L, 400_000_000L);
        LinkHarness h = new LinkHarness(pc, LinkParams.of(64, 1), 512, 3);
        h.turn();
        h.cut = true;
        h.turn();
        h.turn();
        assertEquals(PrimaryStation.State.CONNECTED, h.primary.state());
        h.turn();
        assertEquals(PrimaryStation.State.DOWN, h.primary.state());
        assertEquals(3, h.primary.counters().timeouts());
        long at = h.primary.reprobeAt();
        assertEquals(h.now + 50_000_000L, at);
        assertFalse(h.primary.isDue(at - 1));
        assertTrue(h.primary.isDue(at));
        assertTrue(h.primary.startTurn(at - 1).isEmpty());
        h.runUntil(() -> h.primary.counters().timeouts() == 4, 1000);
        assertEquals(PrimaryStation.State.DOWN, h.primary.state());
        assertEquals(h.now + 100_000_000L, h.primary.reprobeAt(), "backoff doubles");
        h.cut = false;
        h.runUntil(() -> h.primary.state() == PrimaryStation.State.CONNECTED, 1000);
        assertEquals(PrimaryStation.State.CONNECTED, h.primary.state());
    }

    @Test
    void testFrameIsEchoed() {
        byte[][] got = new byte[1][];
        PrimaryStation p = new PrimaryStation(PrimaryConfig.of(ADDR, LinkParams.of(64, 1)), new LinkListener() {
            @Override
            public void onMessage(int address, Message message) {
            }

            @Override
            public void onTestResponse(int address, byte[] data) {
                got[0] = data;
            }
        });
        SecondaryStation s = new SecondaryStation(ADDR, LinkParams.of(64, 1), 4, 512, (a, m) -> { });
        for (Frame f : s.receive(p.startTurn(0).get(0))) {
            p.receive(f, 0);
        }
        p.requestTest(new byte[] {1, 2, 0, 3});
        for (Frame f : s.receive(p.startTurn(1).get(0))) {
            p.receive(f, 1);
        }
        assertArrayEquals(new byte[] {1, 2, 0, 3}, got[0]);
    }
}

package dev.ferry.bridge.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.rp.BodyType;
import dev.ferry.rp.DecodeError;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import dev.ferry.serial.frame.Frame;
import dev.ferry.serial.frame.FrameEncoder;
import dev.ferry.serial.link.Control;
import dev.ferry.serial.link.LinkParams;
import dev.ferry.serial.link.PrimaryConfig;
import dev.ferry.serial.link.PrimaryStation;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class PollerTest {
    static final LinkParams HOST = LinkParams.of(64, 2);
    static final BusConfig CONFIG = BusConfig.of(HOST, 115200);

    final FakeClock clock = new FakeClock();
    final FakeBusPort port = new FakeBusPort(clock);
    final Poller poller = new Poller(CONFIG, clock);
    final Map<Integer, RecordingClient> clients = new HashMap<>();

    private void station(int address, PrimaryConfig pc) {
        port.addStation(address, 64, 2);
        RecordingClient c = new RecordingClient();
        clients.put(address, c);
        poller.add(new StationSlot(pc, c, clock));
    }

    private void station(int address) {
        station(address, PrimaryConfig.of(address, HOST).withTimeouts(3, 100_000_000L, 400_000_000L));
    }

    private static Message msg(String to, String body) {
        return Message.builder(Verb.POST, Path.of(to), Path.of("/#r/1"))
                .body(BodyType.TEXT, body.getBytes(StandardCharsets.US_ASCII)).build();
    }

    private void steps(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            assertTrue(poller.step(port), "a station should be eligible at step " + i);
        }
    }

    @Test
    void chattyStationGetsOneTurnPerCycleAndCannotStarveTheOthers() throws Exception {
        station(1);
        station(2);
        station(3);
        for (int i = 0; i < 40; i++) {
            port.stationAt(1).offer(msg("/host/1", "chatter " + i));
        }
        port.stationAt(2).offer(msg("/host/2", "quiet two"));
        port.stationAt(3).offer(msg("/host/3", "quiet three"));

        steps(4);                                            // set-up, then one UP for all three (idle to us)
        assertEquals(List.of(List.of(1), List.of(2), List.of(3), List.of(1, 2, 3)), port.pollOrder());
        assertEquals(1, clients.get(2).messages.size(), "station 2 answered in its place in the UP");
        assertEquals(1, clients.get(3).messages.size(), "station 3 answered in its place in the UP");
        assertEquals(2, clients.get(1).messages.size(), "one turn carries at most k = 2 frames");
        steps(3);                                            // each acknowledged by a poll of its own
        assertEquals(List.of(List.of(1), List.of(2), List.of(3)), port.pollOrder().subList(4, 7));
        steps(20);
        // from here on every cycle is station 1's own turn and one UP for the idle 2 and 3:
        // still one poll each per cycle, in round-robin order
        List<List<Integer>> polls = port.pollOrder();
        List<List<Integer>> cycles = polls.subList(polls.size() - 20, polls.size());
        for (int i = 0; i < cycles.size(); i++) {
            assertEquals(i % 2 == 0 ? List.of(1) : List.of(2, 3), cycles.get(i), "poll " + i + " of " + polls);
        }
        long station1Polls = polls.stream().skip(3).filter(p -> p.contains(1)).count();
        assertEquals(2 * station1Polls, clients.get(1).messages.size(), "k = 2 frames in each poll of station 1");
        assertEquals(1, clients.get(2).messages.size());
    }

    @Test
    void downStationIsReprobedWithoutDelayingLiveOnes() throws Exception {
        station(1);
        station(2);
        port.setSilent(2, true);
        port.setNanosPerByte(86_806);                       // 115200 baud, 10 bits per byte
        long liveT1 = ResponseTimeout.nanos(CONFIG, 8, 2, 64);
        long probeT1 = ResponseTimeout.nanos(CONFIG, 12, 1, ResponseTimeout.UA_FRAME_SIZE);
        for (int i = 0; i < 400; i++) {
            if (!poller.step(port)) {
                clock.park(poller.idleWaitNanos(clock.nanoTime()));
            }
        }
        RecordingClient live = clients.get(1);
        RecordingClient dead = clients.get(2);
        assertTrue(dead.downs.size() >= 2, "silent station marked down, re-probed and down again: " + dead.downs);
        assertEquals(PrimaryStation.State.DOWN, poller.slots().get(1).station().state());
        List<Long> probes = dead.setupAttempts;
        for (int i = 4; i < probes.size(); i++) {
            assertTrue(probes.get(i) - probes.get(i - 1) >= 0, "probe times move forward");
        }
        assertTrue(probes.size() < 40, "a down station is not probed every cycle: " + probes.size());
        List<Long> ends = live.turnEnds;
        assertTrue(ends.size() > 350, "live station took most turns: " + ends.size());
        long worstGap = 0;
        for (int i = 1; i < ends.size(); i++) {
            worstGap = Math.max(worstGap, ends.get(i) - ends.get(i - 1));
        }
        assertTrue(worstGap <= liveT1 + probeT1, "gap " + worstGap + " > " + (liveT1 + probeT1));
        assertTrue(live.downs.isEmpty());
    }

    @Test
    void silentStationTimesOutAfterT1() throws Exception {
        station(1);
        port.setSilent(1, true);
        long before = clock.nanoTime();
        steps(1);
        long t1 = ResponseTimeout.nanos(CONFIG, FrameEncoder.encodeFrame(new Frame(1, 0x93, HOST.encode())).length + 1,
                1, ResponseTimeout.UA_FRAME_SIZE);
        long took = clock.nanoTime() - before;
        assertTrue(took >= t1 && took < t1 + CONFIG.readSliceMs() * 1_000_000L, "turn took " + took + ", T1 " + t1);
        assertEquals(1, poller.totals().timeouts());
    }

    @Test
    void fullInboundQueueMakesTheBusPollWithRnr() throws Exception {
        station(1);
        steps(1);                                            // SNRM / UA
        RecordingClient c = clients.get(1);
        c.busy = true;
        port.stationAt(1).offer(msg("/host", "held back"));
        steps(3);
        List<Frame> w = port.written();
        Control last = Control.decode(w.get(w.size() - 1).control());
        assertTrue(last.is(Control.Supervisory.RNR), "poll while busy is RNR: " + last);
        assertTrue(c.messages.isEmpty(), "nothing delivered while busy");
        assertEquals(3, poller.totals().rnrSent(), "every poll while busy was an RNR");
        c.busy = false;
        steps(1);
        assertTrue(Control.decode(port.written().get(port.written().size() - 1).control()).is(Control.Supervisory.RR));
        assertEquals(1, c.messages.size(), "delivered once the host has room");
    }

    @Test
    void wireCountsShowTheStationsRnrAndTheFramesTheHostDiscarded() throws Exception {
        station(1);
        steps(1);                                            // SNRM / UA
        RecordingClient c = clients.get(1);
        port.stationAt(1).offer(msg("/host", "first"));
        port.stationAt(1).offer(msg("/host", "second"));
        port.dropAnswerFrames(1, 1);                         // I(0) is lost, I(1) arrives out of sequence
        steps(3);
        assertEquals(2, c.messages.size(), "both arrive after the go-back-N resend");
        LinkStats s = poller.totals();
        assertEquals(1, s.iFramesDiscarded(), "the out-of-sequence I(1) was not taken: " + s);
        assertEquals(0, s.rnrReceived());

        port.stationAt(1).setBusy(true);
        steps(2);
        assertEquals(2, poller.totals().rnrReceived(), "the busy station answered both polls with RNR");
        assertEquals(0, poller.totals().rnrSent());
        assertEquals(1, poller.totals().iFramesDiscarded(), "nothing more discarded");
    }

    @Test
    void lineLossRebuildsStationsAndResendsUnacknowledgedMessages() throws Exception {
        station(1);
        steps(1);
        RecordingClient c = clients.get(1);
        assertNotNull(c.up);
        port.setSilent(1, true);
        c.outbound.add(msg("/dev/x", "must arrive"));
        steps(1);                                            // handed to the station, never acknowledged
        assertTrue(c.outbound.isEmpty());
        poller.lineLost("line unplugged");
        assertEquals(List.of("line unplugged"), c.downs);
        port.setSilent(1, false);
        port.stationAt(1).reset();
        steps(3);
        assertNotNull(c.up, "link set up again");
        List<Message> got = port.receivedBy(1);
        assertEquals(1, got.size());
        assertEquals("must arrive", new String(got.get(0).body(), StandardCharsets.US_ASCII));
    }

    @Test
    void noiseAndForeignFramesAreCountedAndIgnored() throws Exception {
        station(1);
        steps(2);
        port.inject(new byte[] {0x55, 0x12, 0x34, 0x00});                        // bad CRC / COBS garbage
        port.inject(FrameEncoder.encodeFrame(new Frame(9, Control.s(Control.Supervisory.RR, 0, true).encode())));
        steps(2);
        assertEquals(1, poller.framesForeign.get());
        assertTrue(poller.frameCounters().totalErrors() >= 1, poller.frameCounters().toString());
        assertEquals(0, clients.get(1).downs.size(), "the link survives noise");
        assertTrue(poller.frameCounters().errors(DecodeError.BAD_CRC) + poller.frameCounters().errors(DecodeError.BAD_COBS)
                + poller.frameCounters().errors(DecodeError.RUNT) >= 1);
    }

    @Test
    void broadcastReachesEveryStationWithoutAnAnswer() throws Exception {
        station(1);
        station(2);
        steps(2);
        assertTrue(poller.broadcast(msg("/all", "hello")));
        assertFalse(poller.broadcast(msg("/all", "x".repeat(100))), "larger than one segment");
        steps(1);
        assertEquals(1, poller.broadcastsSent.get());
        Frame b = port.written().stream().filter(f -> f.address() == 0xFF).findFirst().orElseThrow();
        assertTrue(Control.decode(b.control()).is(Control.Unnumbered.UI));
        assertEquals("hello", new String(port.receivedBy(1).get(0).body(), StandardCharsets.US_ASCII));
        assertEquals("hello", new String(port.receivedBy(2).get(0).body(), StandardCharsets.US_ASCII));
        assertEquals(0, poller.framesForeign.get(), "nobody answered the broadcast");
    }

    @Test
    void idlePollIntervalSpacesPollsOfQuietStationsButNotWork() throws Exception {
        Poller slow = new Poller(CONFIG.withIdlePollNanos(200_000_000L), clock);
        port.addStation(1, 64, 2);
        RecordingClient c = new RecordingClient();
        slow.add(new StationSlot(PrimaryConfig.of(1, HOST), c, clock));
        assertTrue(slow.step(port));                         // set-up
        assertTrue(slow.step(port));                         // first idle poll
        assertFalse(slow.step(port), "quiet station not polled again at once");
        assertEquals(Poller.MAX_IDLE_WAIT_NANOS, slow.idleWaitNanos(clock.nanoTime()), "idle waits are bounded");
        clock.advance(150_000_000L);
        assertFalse(slow.step(port), "not before the interval");
        clock.advance(60_000_000L);
        assertTrue(slow.step(port), "polled again after the interval");
        assertFalse(slow.step(port));
        c.outbound.add(msg("/dev", "work"));
        assertTrue(slow.step(port), "outbound work is sent without waiting");
        assertEquals(1, port.receivedBy(1).size());
        assertTrue(slow.step(port), "after sending with no answer yet, the station is polled again at once");

        port.stationAt(1).offer(msg("/host/1", "one reading"));
        clock.advance(210_000_000L);
        assertTrue(slow.step(port), "the idle poll collects the reading");
        assertEquals(1, c.messages.size());
        assertFalse(slow.step(port), "less than a window came: the station is drained, the ack waits for the next poll");

        for (int i = 0; i < 3; i++) {
            port.stationAt(1).offer(msg("/host/1", "burst " + i));
        }
        clock.advance(210_000_000L);
        assertTrue(slow.step(port));
        assertEquals(3, c.messages.size(), "a full window (k = 2) came");
        assertTrue(slow.step(port), "a full window may mean more: polled again at once");
        assertEquals(4, c.messages.size());

        clock.advance(210_000_000L);
        assertTrue(slow.step(port));                         // acknowledges the burst's last frame
        port.stationAt(1).offer(msg("/host/1", "answer"));
        c.outbound.add(msg("/dev", "question"));
        assertTrue(slow.step(port), "the question goes out at once");
        assertEquals(5, c.messages.size(), "and the answer comes back in the same turn");
        assertFalse(slow.step(port), "answered in the turn: no extra turn just to acknowledge it");
        assertEquals(2, port.receivedBy(1).size());
    }

    /** Adaptive idle polling: each empty poll doubles the gap up to the maximum; a reading resets it. */
    @Test
    void idleGapDoublesUpToTheMaximumAndResetsWhenTheStationSpeaks() throws Exception {
        Poller adaptive = new Poller(CONFIG.withIdlePollNanos(5_000_000L).withIdlePollMaxNanos(40_000_000L), clock);
        port.addStation(1, 64, 2);
        RecordingClient c = new RecordingClient();
        adaptive.add(new StationSlot(PrimaryConfig.of(1, HOST), c, clock));
        assertTrue(adaptive.step(port));                     // set-up
        assertTrue(adaptive.step(port));                     // first poll: the station says nothing
        long[] expected = {5, 10, 20, 40, 40};
        for (long gapMs : expected) {
            clock.advance(gapMs * 1_000_000L - 1_000_000L);
            assertFalse(adaptive.step(port), "not before " + gapMs + " ms");
            clock.advance(1_000_000L);
            assertTrue(adaptive.step(port), "polled again after " + gapMs + " ms");
        }
        port.stationAt(1).offer(msg("/host/1", "reading"));
        clock.advance(40_000_000L);
        assertTrue(adaptive.step(port));
        assertEquals(1, c.messages.size());
        clock.advance(4_000_000L);
        assertFalse(adaptive.step(port), "not before the shortest gap");
        clock.advance(1_000_000L);
        assertTrue(adaptive.step(port), "after the station spoke, the gap is the shortest again");
    }
}

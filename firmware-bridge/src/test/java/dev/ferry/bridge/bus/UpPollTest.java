package dev.ferry.bridge.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.rp.BodyType;
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

/**
 * The unnumbered poll (PROTOCOL.md 3.8) on the Java bus against Java secondaries that hear each
 * other's answers (FakeBusPort): who is polled together, what a station in the middle of a chain
 * may say, and how a silent or lost station breaks a chain without a collision or a lost turn.
 */
@Tag("small")
class UpPollTest {
    static final LinkParams HOST = LinkParams.of(64, 2);
    static final BusConfig CONFIG = BusConfig.of(HOST, 115200);

    final FakeClock clock = new FakeClock();
    final FakeBusPort port = new FakeBusPort(clock);
    final Poller poller = new Poller(CONFIG, clock);
    final Map<Integer, RecordingClient> clients = new HashMap<>();

    private void station(int address, int frameSize, LinkParams host) {
        port.addStation(address, frameSize, 2);
        RecordingClient c = new RecordingClient();
        clients.put(address, c);
        poller.add(new StationSlot(PrimaryConfig.of(address, host).withTimeouts(3, 100_000_000L, 400_000_000L), c,
                clock));
    }

    private void stations(int... addresses) {
        for (int a : addresses) {
            station(a, 64, HOST);
        }
    }

    private void steps(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            assertTrue(poller.step(port), "a station should be eligible at step " + i);
        }
    }

    private List<List<Integer>> lastPolls(int n) {
        List<List<Integer>> p = port.pollOrder();
        return p.subList(p.size() - n, p.size());
    }

    private long timeouts() {
        long t = 0;
        for (StationSlot s : poller.slots()) {
            t += s.stats().timeouts();
        }
        return t;
    }

    private static Message msg(String to, String body) {
        return Message.builder(Verb.POST, Path.of(to), Path.of("/#r/1"))
                .body(BodyType.TEXT, body.getBytes(StandardCharsets.US_ASCII)).build();
    }

    @Test
    void idleStationsArePolledByOneUpAndAnswerInTurn() throws Exception {
        stations(1, 2, 3, 4);
        steps(4);                                            // set-up, one SNRM each
        long out = poller.bytesOut.get();
        long turns = poller.turns.get();
        steps(1);
        assertEquals(List.of(List.of(1, 2, 3, 4)), lastPolls(1), "one UP polls every idle station");
        Frame up = port.written().get(port.written().size() - 1);
        assertEquals(0xFF, up.address());
        assertTrue(Control.decode(up.control()).is(Control.Unnumbered.UP) && Control.decode(up.control()).pf());
        int upBytes = FrameEncoder.encodeFrame(up).length;
        assertEquals(6 + 4, upBytes, "6 bytes and one per station");
        assertTrue(poller.bytesOut.get() - out <= upBytes + 1, "only the UP (and a leading 00) was sent");
        assertEquals(turns + 4, poller.turns.get(), "a turn per station polled");
        assertEquals(0, timeouts(), "every station answered in its place");
        steps(3);
        assertEquals(List.of(List.of(1, 2, 3, 4), List.of(1, 2, 3, 4), List.of(1, 2, 3, 4)), lastPolls(3));
        assertEquals(4, poller.upPolls.get(), "four UPs");
    }

    @Test
    void aStationInTheMiddleOfAChainSaysWhatItHasAndIsAcknowledgedOnItsOwn() throws Exception {
        stations(1, 2, 3);
        steps(3);
        steps(1);                                            // UP(1, 2, 3), all idle
        port.stationAt(2).offer(msg("/host/t", "a reading"));
        steps(1);                                            // UP again: 2 answers with an I-frame
        assertEquals(List.of(1, 2, 3), lastPolls(1).get(0));
        assertEquals(1, clients.get(2).messages.size(), "the message arrived within the UP");
        assertEquals("a reading", new String(clients.get(2).messages.get(0).body(), StandardCharsets.US_ASCII));
        steps(2);
        // 2's I-frame needs an N(R): it is polled on its own (RR), the others keep their UP
        List<List<Integer>> polls = lastPolls(2);
        assertTrue(polls.contains(List.of(2)), "station 2 acknowledged by a poll of its own: " + polls);
        Frame ack = port.written().stream().filter(f -> f.address() == 2).reduce((a, b) -> b).orElseThrow();
        assertEquals(1, Control.decode(ack.control()).nr(), "the poll acknowledges the I-frame");
        steps(1);
        assertEquals(List.of(1, 2, 3), lastPolls(1).get(0), "then 2 joins the UP again");
        assertEquals(0, timeouts());
    }

    @Test
    void aSilentStationBreaksTheChainAndTheRestArePolledNextWithoutATimeout() throws Exception {
        stations(1, 2, 3, 4);
        steps(4);
        port.setSilent(2, true);                             // 2 loses power after set-up
        steps(1);
        assertEquals(List.of(1, 2, 3, 4), lastPolls(1).get(0));
        assertEquals(1, poller.slots().get(1).stats().timeouts(), "2 timed out in its place");
        assertEquals(0, poller.slots().get(2).stats().timeouts(), "3 never got its turn: nothing counted");
        assertEquals(0, poller.slots().get(3).stats().timeouts());
        steps(1);
        assertEquals(List.of(3, 4), lastPolls(1).get(0), "the next transmission is a UP for the rest");
        assertEquals(1, timeouts(), "3 and 4 answered it");
        for (int i = 0; i < 20; i++) {
            if (!poller.step(port)) {
                clock.park(poller.idleWaitNanos(clock.nanoTime()));
            }
        }
        assertEquals(PrimaryStation.State.DOWN, poller.slots().get(1).station().state(), "2 marked down");
        assertEquals(0, poller.slots().get(0).stats().timeouts() + poller.slots().get(2).stats().timeouts()
                + poller.slots().get(3).stats().timeouts(), "its silence cost the others nothing");
        int before = port.pollOrder().size();
        steps(3);
        for (List<Integer> p : port.pollOrder().subList(before, port.pollOrder().size())) {
            assertTrue(p.equals(List.of(1, 3, 4)) || p.equals(List.of(2)), "the others together, 2 probed alone: "
                    + p);
        }
    }

    @Test
    void aLateStationTimesOutButTheRestOfTheChainIsHeardAndNothingIsSentOverIt() throws Exception {
        stations(1, 2, 3);
        steps(3);
        long t1 = ResponseTimeout.nanos(CONFIG, 0, 2, 64);
        port.delayAnswers(2, t1 + 5_000_000L);              // past its T1, within the quiet gap after it
        steps(1);
        assertEquals(List.of(1, 2, 3), lastPolls(1).get(0));
        assertEquals(1, poller.slots().get(1).stats().timeouts(), "2 was late: a timeout");
        assertEquals(0, poller.slots().get(2).stats().timeouts(), "3 answered after it, in the same chain");
        steps(1);
        assertEquals(List.of(1, 2, 3), lastPolls(1).get(0), "no rest to poll: a whole UP again");
        assertEquals(0, port.collisions(), "nothing was sent while 2 and 3 were still answering");
        assertEquals(1, timeouts(), "2's T1 backed off after its timeout: in time now");
        port.setSilent(2, true);                             // now it does not answer at all
        steps(1);
        assertEquals(2, timeouts(), "2 timed out");
        assertEquals(0, poller.slots().get(2).stats().timeouts(), "3 never got its turn: nothing counted");
        steps(1);
        assertEquals(List.of(3), lastPolls(1).get(0), "3 is polled next, alone");
        assertEquals(0, port.collisions());
    }

    @Test
    void aLostFinalFrameTimesOutOnlyItsStation() throws Exception {
        stations(1, 2, 3);
        steps(3);
        port.dropAnswerFrames(1, 1);                         // 1's RR(F) is lost on the line
        steps(1);
        assertEquals(1, poller.slots().get(0).stats().timeouts());
        steps(1);
        assertEquals(List.of(2, 3), lastPolls(1).get(0), "2 and 3 (who waited for 1) are polled next");
        assertEquals(1, timeouts());
    }

    @Test
    void stationsWithWorkOrWithoutUpArePolledOnTheirOwnInRoundRobin() throws Exception {
        stations(1, 2);
        station(3, 64, HOST.withVersion(LinkParams.VERSION_2_0));   // a 2.0 station knows no UP
        stations(4, 5);
        steps(5);
        for (int i = 0; i < 6; i++) {
            clients.get(4).outbound.add(msg("/s/4", "work " + i));
        }
        steps(8);
        List<List<Integer>> polls = lastPolls(8);
        // round-robin: 3 (no UP) and 4 (work) on their own, the idle stations between them
        // batched (listed by frame size, then address)
        assertEquals(List.of(List.of(1, 2), List.of(3), List.of(4), List.of(1, 2, 5), List.of(3), List.of(4),
                List.of(1, 2, 5), List.of(3)), polls);
        assertEquals(4, port.receivedBy(4).size(), "k = 2 messages in each of station 4's turns");
        steps(3);
        assertEquals(6, port.receivedBy(4).size());
        steps(3);
        assertEquals(List.of(List.of(4, 5, 1, 2).size()), List.of(lastPolls(3).stream()
                .filter(p -> p.contains(4)).findFirst().orElseThrow().size()), "idle again, 4 joins: " + lastPolls(3));
        assertEquals(0, timeouts());
    }

    @Test
    void stationsThatDoNotHearEachOtherArePolledOnTheirOwnOnceThatIsClear() throws Exception {
        stations(1, 2, 3);
        steps(3);
        port.stationsHearEachOther(false);                   // a four-wire bus: no station hears another
        for (int i = 0; i < 200 && !poller.unnumberedPollOff(); i++) {
            if (!poller.step(port)) {
                clock.park(poller.idleWaitNanos(clock.nanoTime()));
            }
        }
        assertTrue(poller.unnumberedPollOff(), "UP turned off: " + port.pollOrder());
        assertEquals(Poller.UP_MISSED_CUES_OFF, timeouts(), "one timeout per missed cue, no more");
        for (StationSlot s : poller.slots()) {
            assertEquals(PrimaryStation.State.CONNECTED, s.station().state(), "station " + s.address() + " kept its link");
        }
        int before = port.pollOrder().size();
        for (int i = 0; i < 30; i++) {
            if (!poller.step(port)) {
                clock.park(poller.idleWaitNanos(clock.nanoTime()));
            }
        }
        List<List<Integer>> after = port.pollOrder().subList(before, port.pollOrder().size());
        assertTrue(after.size() >= 6 && after.stream().allMatch(p -> p.size() == 1), "each on its own: " + after);
        assertEquals(Poller.UP_MISSED_CUES_OFF, timeouts());
        assertEquals(0, port.collisions());
    }

    @Test
    void aStationThatMissedItsCueOnceIsPolledOnItsOwnThenJoinsAgain() throws Exception {
        stations(1, 2, 3);
        steps(3);
        port.stationsHearEachOther(false);
        steps(1);                                            // UP(1, 2, 3): 1 answers, 2 never hears it
        port.stationsHearEachOther(true);
        assertEquals(1, timeouts());
        steps(1);
        assertEquals(List.of(3), lastPolls(1).get(0), "3 waited for 2: polled next");
        for (int i = 0; i < 40; i++) {
            if (!poller.step(port)) {
                clock.park(poller.idleWaitNanos(clock.nanoTime()));
            }
        }
        List<List<Integer>> polls = port.pollOrder();
        assertTrue(polls.contains(List.of(2)), "2 was polled on its own: " + polls);
        assertEquals(List.of(1, 2, 3), lastPolls(1).get(0), "then all three together again");
        assertTrue(!poller.unnumberedPollOff());
        assertEquals(1, timeouts());
    }

    @Test
    void stationsBeyondOneUpsListAreNextNotStarved() throws Exception {
        LinkParams small = LinkParams.of(32, 2);             // a UP lists at most 32 - 4 = 28 stations
        for (int a = 1; a <= 30; a++) {
            station(a, 32, small);
        }
        steps(30);
        steps(6);                                            // polling back to back: every station always due
        List<List<Integer>> polls = lastPolls(6);
        for (int a = 1; a <= 30; a++) {
            int station = a;
            assertTrue(polls.stream().filter(p -> p.contains(station)).count() >= 2,
                    "station " + a + " polled in every other UP at least: " + polls);
        }
        assertEquals(0, timeouts());
    }

    @Test
    void theListIsOrderedByFrameSizeSoEachStationCanDecodeTheAnswerBeforeIt() throws Exception {
        station(1, 256, LinkParams.of(256, 2));
        station(2, 32, LinkParams.of(256, 2));
        station(3, 64, LinkParams.of(256, 2));
        steps(3);
        steps(1);
        assertEquals(List.of(2, 3, 1), lastPolls(1).get(0));
        assertEquals(0, timeouts());
    }
}

package dev.ferry.bridge.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import dev.ferry.bridge.bus.FakeClock;
import dev.ferry.bridge.bus.StationClient;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import dev.ferry.serial.link.LinkParams;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class DeviceSessionTest {
    static final LinkParams P = LinkParams.of(64, 1);
    final FakeClock clock = new FakeClock();
    Context pi4j;

    @AfterEach
    void tearDown() {
        if (pi4j != null) {
            pi4j.shutdown();
        }
    }

    record Change(DigitalState state, long at) {
    }

    private static Message info(String board, String fw) {
        String json = "{\"board\":\"" + board + "\",\"fw\":\"" + fw + "\",\"frame\":64,\"addr\":3}";
        return Message.builder(Verb.REP, Path.of(DeviceSession.IDENTIFY), Path.of("/info#streams/1"))
                .body(BodyType.JSON, json.getBytes(StandardCharsets.UTF_8)).build();
    }

    private static List<Inbox.Event> drain(DeviceSession s) {
        List<Inbox.Event> out = new ArrayList<>();
        Inbox.Event e;
        while ((e = s.inbox().poll()) != null) {
            out.add(e);
        }
        return out;
    }

    private static String attachReason(List<Inbox.Event> events) {
        return events.stream().filter(e -> e instanceof Inbox.Changed c && c.to() == DeviceState.ATTACHED)
                .map(e -> ((Inbox.Changed) e).reason()).findFirst().orElse("none");
    }

    @Test
    void resetPinPulsesLowFor100msAfterNFailedSetups() {
        pi4j = Pi4J.newContextBuilder().add(MockDigitalOutputProvider.newInstance()).build();
        DigitalOutput out = pi4j.create(DigitalOutput.newConfigBuilder(pi4j).id("rst").address(22)
                .initial(DigitalState.HIGH).shutdown(DigitalState.HIGH).provider(MockDigitalOutputProvider.ID));
        ResetPin pin = new ResetPin(out, clock, ResetPin.DEFAULT_PULSE_NANOS);
        List<Change> changes = new ArrayList<>();
        out.addListener(e -> changes.add(new Change(e.state(), clock.nanoTime())));
        DeviceSession s = new DeviceSession("mcu", 3, SessionConfig.DEFAULT.withResetAfter(3), Optional.of(pin));
        StationClient bus = s.busSide();
        for (int i = 0; i < 2; i++) {
            bus.onSetupAttempt(clock.nanoTime());
            bus.afterTurn(true, false, clock.nanoTime());
        }
        assertTrue(changes.isEmpty(), "no pulse before the third failure");
        long start = clock.nanoTime();
        bus.onSetupAttempt(start);
        bus.afterTurn(true, false, start);
        assertEquals(List.of(new Change(DigitalState.LOW, start), new Change(DigitalState.HIGH, start + 100_000_000L)),
                changes);
        assertEquals(1, s.counters().mcuResets());
        assertEquals(3, s.counters().failedSetups());
        assertEquals(DigitalState.HIGH, out.state());
        // a success resets the count: two more failures do not pulse
        bus.onLinkUp(P, clock.nanoTime());
        bus.onLinkDown("gone", clock.nanoTime());
        for (int i = 0; i < 2; i++) {
            bus.afterTurn(true, false, clock.nanoTime());
        }
        assertEquals(2, changes.size());
    }

    @Test
    void identifiesOnLinkUpAndComparesIdentityOnReattach() {
        DeviceSession s = new DeviceSession("mcu", 3, SessionConfig.DEFAULT, Optional.empty());
        StationClient bus = s.busSide();
        bus.onSetupAttempt(0);
        assertEquals(DeviceState.LINKING, s.state());
        bus.onLinkUp(P, 0);
        assertEquals(DeviceState.IDENTIFYING, s.state());
        Message ask = bus.pollOutbound();
        assertEquals(Verb.GET, ask.verb());
        assertEquals(Path.of("/info"), ask.to());
        assertEquals(Path.of(DeviceSession.IDENTIFY), ask.from());
        Message boot = Message.builder(Verb.GET, Path.of("/#runtime/time"), Path.of("/#r/1")).build();
        bus.onMessage(boot, 0);
        bus.onMessage(info("uno", "0.1.0"), 0);
        assertEquals(DeviceState.ATTACHED, s.state());
        assertEquals("uno", s.identity().orElseThrow().board());
        List<Inbox.Event> events = drain(s);
        assertTrue(attachReason(events).startsWith("first attach"), attachReason(events));
        assertEquals(1, events.stream().filter(e -> e instanceof Inbox.Arrived).count(), "identify reply consumed");
        assertEquals(boot, ((Inbox.Arrived) events.stream().filter(e -> e instanceof Inbox.Arrived)
                .findFirst().orElseThrow()).message());

        bus.onLinkDown("3 consecutive timeouts", 1);
        assertEquals(DeviceState.LOST, s.state());
        assertEquals(1, s.counters().linkResets());
        assertFalse(s.offer(boot), "no offers while lost");
        bus.onSetupAttempt(2);
        bus.onLinkUp(P, 2);
        bus.pollOutbound();
        bus.onMessage(info("uno", "0.1.0"), 2);
        assertTrue(attachReason(drain(s)).startsWith("same device restored"));

        bus.onLinkDown("DM", 3);
        bus.onSetupAttempt(3);
        bus.onLinkUp(P, 3);
        bus.pollOutbound();
        bus.onMessage(info("nano", "0.2.0"), 3);
        String r = attachReason(drain(s));
        assertTrue(r.startsWith("different device at this address"), r);
        assertEquals("nano", s.identity().orElseThrow().board());
    }

    @Test
    void identifyIsRetriedThenAttachesUnknown() {
        SessionConfig c = new SessionConfig(4, 4, 1_000L, 2, 5);
        DeviceSession s = new DeviceSession("mcu", 3, c, Optional.empty());
        StationClient bus = s.busSide();
        bus.onLinkUp(P, 0);
        bus.pollOutbound();
        bus.afterTurn(false, true, 500);
        assertNull(bus.pollOutbound(), "not yet timed out");
        bus.afterTurn(false, true, 1_000);
        assertEquals(Path.of("/info"), bus.pollOutbound().to(), "asked again");
        bus.afterTurn(false, true, 2_000);
        assertEquals(DeviceState.ATTACHED, s.state());
        assertTrue(attachReason(drain(s)).contains("no /info reply after 2 attempts"));
    }

    @Test
    void queuesAreBoundedAndCounted() {
        DeviceSession s = new DeviceSession("mcu", 3, SessionConfig.DEFAULT.withCapacities(2, 3), Optional.empty());
        StationClient bus = s.busSide();
        Message m = Message.builder(Verb.GET, Path.of("/x"), Path.of("/#r/9")).build();
        assertFalse(s.offer(m));
        assertEquals(1, s.counters().drops(DeviceCounters.Drop.NOT_ATTACHED));
        bus.onLinkUp(P, 0);
        bus.onMessage(info("uno", "1"), 0);
        assertTrue(s.offer(m));
        assertTrue(s.offer(m));
        assertFalse(s.offer(m), "outbound full");
        assertEquals(1, s.counters().drops(DeviceCounters.Drop.OUTBOUND_FULL));
        assertFalse(bus.inboundBusy(1));
        bus.onMessage(m, 0);
        bus.onMessage(m, 0);
        assertTrue(bus.inboundBusy(2), "one slot left, window 2: RNR");
        assertFalse(bus.inboundBusy(1));
        bus.onMessage(m, 0);
        bus.onMessage(m, 0);
        assertEquals(1, s.counters().drops(DeviceCounters.Drop.INBOUND_FULL));
        assertEquals(3, s.snapshot().queuedIn());
        assertEquals(2, s.snapshot().queuedOut());
        assertEquals(64, s.snapshot().frameSize());
    }

    @Test
    void identityParsesTheInfoReply() {
        DeviceIdentity id = DeviceIdentity.parse(
                "{\"board\":\"host-sim\",\"fw\":\"0.1.0\",\"frame\":256,\"addr\":7}".getBytes(StandardCharsets.UTF_8))
                .orElseThrow();
        assertEquals(new DeviceIdentity("host-sim", "0.1.0", 256, 7, -1, id.json()), id);
        assertEquals(160, DeviceIdentity.parse(("{\"board\":\"arduino-uno\",\"fw\":\"0.1.0\",\"frame\":64,"
                + "\"addr\":1,\"msg\":160}").getBytes(StandardCharsets.UTF_8)).orElseThrow().maxMessage());
        assertTrue(DeviceIdentity.parse("[1,2]".getBytes(StandardCharsets.UTF_8)).isEmpty());
        assertTrue(DeviceIdentity.parse(new byte[0]).isEmpty());
    }
}

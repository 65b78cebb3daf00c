package dev.ferry.bridge.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.bridge.bus.FakeBusPort;
import dev.ferry.bridge.bus.FakeClock;
import dev.ferry.bridge.bus.LineState;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The whole bridge over an in-memory line: threads, but no ptys or processes. */
@Tag("small")
class LineRunnerTest {
    record Event(String device, DeviceState to, String reason, Message message) {
    }

    final FakeClock clock = new FakeClock();
    final FakeBusPort port = new FakeBusPort(clock);
    final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    LineRunner runner;

    final DeviceListener listener = new DeviceListener() {
        @Override
        public void onMessage(DeviceSession s, Message m) {
            events.add(new Event(s.name(), null, null, m));
        }

        @Override
        public void onStateChange(DeviceSession s, DeviceState from, DeviceState to, String reason) {
            events.add(new Event(s.name(), to, reason, null));
        }
    };

    @AfterEach
    void tearDown() {
        if (runner != null) {
            runner.stop();
        }
    }

    private Event await(String device, DeviceState to) throws InterruptedException {
        while (true) {
            Event e = events.poll(10, TimeUnit.SECONDS);
            if (e == null) {
                throw new AssertionError("no " + to + " for " + device);
            }
            if (e.device().equals(device) && e.to() == to) {
                return e;
            }
        }
    }

    private Message awaitMessage() throws InterruptedException {
        while (true) {
            Event e = events.poll(10, TimeUnit.SECONDS);
            if (e == null) {
                throw new AssertionError("no message");
            }
            if (e.message() != null) {
                return e.message();
            }
        }
    }

    @Test
    void attachesCarriesMessagesSurvivesUnplugAndStops() throws Exception {
        port.addStation(5, 64, 2);
        port.respondWith((st, m) -> {
            byte[] body = m.to().equals(Path.of("/info"))
                    ? "{\"board\":\"java\",\"fw\":\"9\",\"frame\":64,\"addr\":5}".getBytes(StandardCharsets.UTF_8)
                    : m.body();
            st.offer(Message.builder(Verb.REP, m.from(), Path.of(m.to() + "#streams/1"))
                    .body(BodyType.JSON, body).build());
        });
        AtomicInteger attempts = new AtomicInteger();
        LineSpec spec = LineSpec.of("fake", 115200).withFrame(64, 2);
        runner = new LineRunner(spec, List.of(DeviceSpec.of("java5", 5)), listener, () -> {
            if (attempts.incrementAndGet() <= 2) {
                throw new IOException("not there yet");
            }
            return port;
        }, clock, d -> null);
        runner.start();

        Event attached = await("java5", DeviceState.ATTACHED);
        assertTrue(attached.reason().startsWith("first attach: board=java"), attached.reason());
        assertEquals(3, attempts.get(), "opened on the third attempt");
        assertEquals(LineState.OPEN, runner.lineSnapshot().state());
        DeviceSession s = runner.session("java5").orElseThrow();
        assertEquals(2, s.snapshot().window());

        byte[] body = "[1,2,3]".getBytes(StandardCharsets.UTF_8);
        assertTrue(s.offer(Message.builder(Verb.POST, Path.of("/echo"), Path.of("/#r/7")).body(BodyType.JSON, body).build()));
        Message reply = awaitMessage();
        assertEquals(Path.of("/#r/7"), reply.to());
        assertArrayEquals(body, reply.body());

        port.fail(true);
        Event lost = await("java5", DeviceState.LOST);
        assertEquals("line failed", lost.reason());
        port.fail(false);
        Event back = await("java5", DeviceState.ATTACHED);
        assertTrue(back.reason().startsWith("same device restored"), back.reason());
        assertTrue(runner.lineSnapshot().failures() >= 1);
        assertEquals(1, s.counters().linkResets());

        runner.stop();
        await("java5", DeviceState.DETACHED);
        assertEquals(LineState.CLOSED, runner.lineSnapshot().state());
        assertEquals(DeviceState.DETACHED, s.state());
    }
}

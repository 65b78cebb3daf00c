package dev.ferry.bridge.line;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class DirectionPinTest {

    /** A clock that only moves when parked: parking jumps to the deadline. */
    static final class FakeClock implements DirectionPin.NanoClock {
        long now = 1_000_000L;
        final List<Long> parkedUntil = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void parkUntil(long deadlineNanos) {
            parkedUntil.add(deadlineNanos);
            now = Math.max(now, deadlineNanos);
        }
    }

    record Change(DigitalState state, long at) {
    }

    Context pi4j;
    DigitalOutput out;
    FakeClock clock;
    List<Change> changes;

    @BeforeEach
    void setUp() {
        pi4j = Pi4J.newContextBuilder().add(MockDigitalOutputProvider.newInstance()).build();
        out = pi4j.create(DigitalOutput.newConfigBuilder(pi4j).id("de").address(17)
                .initial(DigitalState.LOW).shutdown(DigitalState.LOW).provider(MockDigitalOutputProvider.ID));
        clock = new FakeClock();
        changes = new ArrayList<>();
        out.addListener(e -> changes.add(new Change(e.state(), clock.now)));
    }

    @AfterEach
    void tearDown() {
        pi4j.shutdown();
    }

    @Test
    void holdTimeIsBytesTimesBitsOverBaudPlusGuard() throws Exception {
        DirectionPin pin = new DirectionPin(out, 50, clock);
        pin.attach(9600, 10);
        // 32 bytes x 10 bits at 9600 baud = 33 333 333.3 ns, rounded up, + 50 us guard
        assertEquals(33_333_334L + 50_000L, pin.holdNanos(32));
        pin.attach(115200, 11); // 8E1
        assertEquals(LineTiming.nanosFor(1, 115200, 11) + 50_000L, pin.holdNanos(1));
        assertEquals(95_487L, LineTiming.nanosFor(1, 115200, 11));
        assertEquals(0L, LineTiming.nanosFor(0, 115200, 10));
        assertEquals(1_000_000_000L, LineTiming.nanosFor(11520, 115200, 10));
    }

    @Test
    void pinGoesHighForTheSendAndLowAtTheComputedInstant() throws Exception {
        DirectionPin pin = new DirectionPin(out, 100, clock);
        pin.attach(19200, LineOptions.DEFAULT_8N1.bitsPerCharacter());
        assertEquals(DigitalState.LOW, out.state());
        changes.clear();
        long start = clock.now;

        pin.beforeSend(40);
        assertEquals(DigitalState.HIGH, out.state());
        clock.now += 3_000_000; // time spent inside the driver's write counts towards the hold
        pin.afterSend(40);

        long hold = 40L * 10 * 1_000_000_000L / 19200 + 100_000; // 20.833 ms + 0.1 ms
        assertEquals(List.of(new Change(DigitalState.HIGH, start), new Change(DigitalState.LOW, start + hold + 1)),
                changes);
        assertEquals(List.of(start + pin.holdNanos(40)), clock.parkedUntil);
        assertEquals(DigitalState.LOW, out.state());
    }

    @Test
    void pinIsReleasedEvenWhenTheWriteFailed() throws Exception {
        DirectionPin pin = new DirectionPin(out, 0, clock);
        pin.attach(115200, 10);
        pin.beforeSend(5);
        pin.afterSend(5);
        assertEquals(DigitalState.LOW, out.state());
        pin.close();
        pin.close();
        assertEquals(DigitalState.LOW, out.state());
        assertThrows(java.io.IOException.class, () -> pin.beforeSend(1));
    }

    @Test
    void unattachedPinRefusesToDriveTheBus() throws Exception {
        DirectionPin pin = new DirectionPin(out, 0, clock);
        assertThrows(IllegalStateException.class, () -> pin.beforeSend(1));
        assertEquals(DigitalState.LOW, out.state());
    }

    @Test
    void factoryCreatesALowPinOnTheContext() throws Exception {
        DirectionPin pin = DirectionPin.create(pi4j, 27, 20);
        assertEquals(DigitalState.LOW, pin.state());
        pin.attach(9600, 10);
        assertEquals(LineTiming.nanosFor(3, 9600, 10) + 20_000, pin.holdNanos(3));
    }
}

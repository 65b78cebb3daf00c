package dev.ferry.bridge.line;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import org.tinylog.Logger;

/**
 * RS-485 driver-enable through a GPIO pin (Pi4J): HIGH drives the bus, LOW listens.
 *
 * <p>The pin is asserted before a send and released once the last byte has left the UART. The
 * release time is computed, not observed: {@code start + bytes x bitsPerCharacter / baud +
 * guard}, because on a Raspberry Pi's PL011 the kernel has no RS-485 mode and jSerialComm's
 * {@code DATA_WRITTEN} event never fires on Linux. {@code start} is taken when the pin goes
 * HIGH, so time spent inside the driver's write call counts towards the hold.
 *
 * <p>Callers may rely on: the pin is LOW after construction, after every {@link #afterSend} and
 * after {@link #close}; {@link #holdNanos(int)} is exactly what {@link #afterSend} waits for.
 * Not thread-safe: one line, one writer thread.
 */
public final class DirectionPin implements TransmitGate {

    /** Source of time and a way to wait until a deadline; replaced in tests. */
    public interface NanoClock {
        /** Monotonic time in nanoseconds. */
        long nanoTime();

        /** Return no earlier than {@code deadlineNanos}. */
        void parkUntil(long deadlineNanos);

        /** The JVM's monotonic clock, parking the thread. */
        NanoClock SYSTEM = new NanoClock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void parkUntil(long deadlineNanos) {
                long left;
                while ((left = deadlineNanos - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(left);
                }
            }
        };
    }

    private final DigitalOutput pin;
    private final long guardNanos;
    private final NanoClock clock;
    private volatile int baud;
    private volatile int bitsPerCharacter = 10;
    private long sendStart;
    private boolean closed;

    /**
     * @param pin a digital output wired to the transceiver's DE (and /RE); driven LOW now
     * @param guardMicros extra hold after the computed last stop bit (transceiver turnaround)
     * @param clock time source ({@link NanoClock#SYSTEM} outside tests)
     * @throws IOException if the pin cannot be driven
     */
    public DirectionPin(DigitalOutput pin, long guardMicros, NanoClock clock) throws IOException {
        if (guardMicros < 0) {
            throw new IllegalArgumentException("guardMicros must be >= 0");
        }
        this.pin = Objects.requireNonNull(pin, "pin");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.guardNanos = guardMicros * 1_000L;
        drive(DigitalState.LOW);
    }

    /**
     * Create the output on {@code bcmAddress} (initial and shutdown state LOW) and wrap it.
     *
     * @param context a Pi4J context with a digital-output provider
     * @param bcmAddress the BCM pin number
     * @param guardMicros extra hold after the last stop bit
     */
    public static DirectionPin create(Context context, int bcmAddress, long guardMicros) throws IOException {
        DigitalOutput out = context.create(DigitalOutput.newConfigBuilder(context)
                .id("ferry-rs485-de-" + bcmAddress)
                .name("RS-485 driver enable")
                .address(bcmAddress)
                .initial(DigitalState.LOW)
                .shutdown(DigitalState.LOW));
        return new DirectionPin(out, guardMicros, NanoClock.SYSTEM);
    }

    @Override
    public void attach(int lineBaud, int lineBitsPerCharacter) {
        if (lineBaud <= 0 || lineBitsPerCharacter <= 0) {
            throw new IllegalArgumentException("baud and bits per character must be > 0");
        }
        this.baud = lineBaud;
        this.bitsPerCharacter = lineBitsPerCharacter;
    }

    /** How long the pin stays HIGH for a send of {@code byteCount} bytes. */
    public long holdNanos(int byteCount) {
        if (baud <= 0) {
            throw new IllegalStateException("not attached to a line (baud unknown)");
        }
        return LineTiming.nanosFor(byteCount, baud, bitsPerCharacter) + guardNanos;
    }

    @Override
    public void beforeSend(int byteCount) throws IOException {
        if (closed) {
            throw new IOException("direction pin closed");
        }
        holdNanos(byteCount); // fail before driving the bus if not attached
        drive(DigitalState.HIGH);
        sendStart = clock.nanoTime();
    }

    @Override
    public void afterSend(int byteCount) throws IOException {
        try {
            clock.parkUntil(sendStart + holdNanos(byteCount));
        } finally {
            drive(DigitalState.LOW);
        }
    }

    /** The pin's current state. */
    public DigitalState state() {
        return pin.state();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            drive(DigitalState.LOW);
        } catch (IOException e) {
            Logger.warn("could not release RS-485 direction pin {}: {}", pin.address(), e.getMessage());
        }
    }

    private void drive(DigitalState state) throws IOException {
        try {
            pin.state(state);
        } catch (RuntimeException e) { // Pi4J's IOException is unchecked
            throw new IOException("cannot drive RS-485 direction pin " + pin.address() + " " + state, e);
        }
    }

    @Override
    public String toString() {
        return "DirectionPin[bcm " + pin.address() + ", guard " + guardNanos / 1000 + " us]";
    }
}

package dev.ferry.bridge.device;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import dev.ferry.bridge.bus.BusClock;
import java.util.Objects;
import org.tinylog.Logger;

/**
 * An MCU's active-low reset line on a GPIO (Pi4J). Idle HIGH; {@link #pulse()} drives it LOW for
 * the pulse length, then HIGH again. Used by one thread at a time (the bus thread).
 */
public final class ResetPin {
    /** Default pulse length: 100 ms. */
    public static final long DEFAULT_PULSE_NANOS = 100_000_000L;

    private final DigitalOutput pin;
    private final BusClock clock;
    private final long pulseNanos;

    /** Wraps {@code pin} (driven HIGH now). */
    public ResetPin(DigitalOutput pin, BusClock clock, long pulseNanos) {
        if (pulseNanos <= 0) {
            throw new IllegalArgumentException("pulse length must be > 0");
        }
        this.pin = Objects.requireNonNull(pin, "pin");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pulseNanos = pulseNanos;
        pin.high();
    }

    /** Creates the output on BCM pin {@code bcm} (initial and shutdown HIGH) with a 100 ms pulse. */
    public static ResetPin create(Context pi4j, String deviceName, int bcm, BusClock clock) {
        DigitalOutput out = pi4j.create(DigitalOutput.newConfigBuilder(pi4j)
                .id("ferry-reset-" + deviceName + "-" + bcm)
                .name("reset of " + deviceName)
                .address(bcm)
                .initial(DigitalState.HIGH)
                .shutdown(DigitalState.HIGH));
        return new ResetPin(out, clock, DEFAULT_PULSE_NANOS);
    }

    /** Drives the pin LOW for the pulse length, then HIGH; blocks the caller for that long. */
    public void pulse() {
        Logger.info("resetting MCU through BCM {} ({} ms LOW)", pin.address(), pulseNanos / 1_000_000);
        pin.low();
        try {
            clock.parkUntil(clock.nanoTime() + pulseNanos);
        } finally {
            pin.high();
        }
    }

    public DigitalState state() {
        return pin.state();
    }
}

package dev.ferry.bridge.device;

/**
 * Bounds and timers of one device session.
 *
 * @param outboundCapacity messages waiting toward the MCU ({@link DeviceSession#offer} is false beyond)
 * @param inboundCapacity messages waiting toward the rest of Ferry (the bus sends RNR before it fills)
 * @param identifyTimeoutNanos how long to wait for the {@code /info} reply before asking again
 * @param identifyAttempts how many times to ask before attaching with an unknown identity
 * @param resetAfter consecutive failed link set-ups after which the reset pin (if any) is pulsed
 */
public record SessionConfig(int outboundCapacity, int inboundCapacity, long identifyTimeoutNanos,
                            int identifyAttempts, int resetAfter) {
    /** Defaults: 32 / 32 messages, 2 s identify timeout, 3 attempts, reset after 5 failed set-ups. */
    public static final SessionConfig DEFAULT = new SessionConfig(32, 32, 2_000_000_000L, 3, 5);

    /** @throws IllegalArgumentException on a non-positive value */
    public SessionConfig {
        if (outboundCapacity < 1 || inboundCapacity < 1 || identifyTimeoutNanos <= 0 || identifyAttempts < 1
                || resetAfter < 1) {
            throw new IllegalArgumentException("session bounds and timers must be positive");
        }
    }

    public SessionConfig withResetAfter(int n) {
        return new SessionConfig(outboundCapacity, inboundCapacity, identifyTimeoutNanos, identifyAttempts, n);
    }

    public SessionConfig withCapacities(int outbound, int inbound) {
        return new SessionConfig(outbound, inbound, identifyTimeoutNanos, identifyAttempts, resetAfter);
    }
}

package dev.ferry.bridge.device;

import dev.ferry.rp.Message;

/**
 * Receives what the devices of a line produce. All calls come from the line's one delivery
 * thread (never the bus thread), in order per device: messages and state changes of one
 * device arrive in the order they happened. Implementations should not block for long; while
 * they do, the device's inbound queue fills and the bus answers the MCU with RNR.
 */
public interface DeviceListener {
    /** A message from the MCU (the session's own identify reply is not passed on). */
    void onMessage(DeviceSession session, Message message);

    /**
     * The device moved from {@code from} to {@code to}. {@code reason} is for people; on
     * {@link DeviceState#ATTACHED} it says "first attach", "same device restored" or "different
     * device at this address" followed by the identity.
     */
    default void onStateChange(DeviceSession session, DeviceState from, DeviceState to, String reason) {
    }
}

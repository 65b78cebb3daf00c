package dev.ferry.bridge.device;

import dev.ferry.bridge.bus.LinkStats;
import java.util.Map;
import java.util.Optional;

/**
 * One device at one moment, for the runtime to render. Immutable.
 *
 * @param name configured device name
 * @param address station address
 * @param state lifecycle state
 * @param identity what {@code /info} said at the last attach (empty before the first)
 * @param frameSize negotiated frame size N, 0 when the link is not up
 * @param window negotiated window k, 0 when the link is not up
 * @param messagesIn messages from the MCU passed on
 * @param messagesOut messages accepted toward the MCU
 * @param queuedOut messages waiting toward the MCU
 * @param queuedIn messages waiting toward the rest of Ferry
 * @param drops drops by reason
 * @param linkResets established links lost
 * @param mcuResets reset pulses
 * @param link link-layer figures (timeouts, retransmissions, ...)
 */
public record DeviceSnapshot(String name, int address, DeviceState state, Optional<DeviceIdentity> identity,
                             int frameSize, int window, long messagesIn, long messagesOut, int queuedOut,
                             int queuedIn, Map<DeviceCounters.Drop, Long> drops, long linkResets, long mcuResets,
                             LinkStats link) {
    public DeviceSnapshot {
        drops = Map.copyOf(drops);
    }
}

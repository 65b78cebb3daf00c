package dev.ferry.bridge.device;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * One device on a line, as configured.
 *
 * @param name device name (unique within Ferry)
 * @param address station address 1..254
 * @param resetPin BCM number of the MCU's reset line, if it is wired
 * @param session queue bounds, identify timers and the reset threshold
 */
public record DeviceSpec(String name, int address, OptionalInt resetPin, SessionConfig session) {
    /** @throws IllegalArgumentException on a bad address or an empty name */
    public DeviceSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(resetPin, "resetPin");
        Objects.requireNonNull(session, "session");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("device name must not be empty");
        }
        if (address < 1 || address > 254) {
            throw new IllegalArgumentException("device " + name + ": address must be 1..254, got " + address);
        }
    }

    /** A device without reset pin and default session settings. */
    public static DeviceSpec of(String name, int address) {
        return new DeviceSpec(name, address, OptionalInt.empty(), SessionConfig.DEFAULT);
    }

    public DeviceSpec withResetPin(int bcm) {
        return new DeviceSpec(name, address, OptionalInt.of(bcm), session);
    }

    public DeviceSpec withSession(SessionConfig s) {
        return new DeviceSpec(name, address, resetPin, s);
    }
}

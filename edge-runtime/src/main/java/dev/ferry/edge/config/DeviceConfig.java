package dev.ferry.edge.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One {@code [[devices]]} entry: an MCU on a line. Names and mounts are unique, the line exists,
 * and no other device on the same line has the address.
 *
 * @param name       unique device name
 * @param line       the {@link LineConfig#name()} it is on
 * @param address    station address, 1..254
 * @param mount      RP path (normal form, no '#') where its namespace appears; implicitly routed
 * @param mcuProfile optional MCU board profile, e.g. {@code arduino-uno}
 * @param namespaces rendezvous namespaces it is announced in (default none)
 * @param maxAgeMs   how old a cached value of its resources may be to answer a GET whose requester
 *                   gave no max-age, 0..86400000 ms (default none: such GETs go to the MCU)
 */
public record DeviceConfig(String name, String line, int address, String mount,
        Optional<String> mcuProfile, List<String> namespaces, OptionalInt maxAgeMs) {
    public DeviceConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(mount, "mount");
        Objects.requireNonNull(mcuProfile, "mcuProfile");
        Objects.requireNonNull(maxAgeMs, "maxAgeMs");
        namespaces = List.copyOf(namespaces);
    }

    /** A device without a default max-age. */
    public DeviceConfig(String name, String line, int address, String mount, Optional<String> mcuProfile,
                        List<String> namespaces) {
        this(name, line, address, mount, mcuProfile, namespaces, OptionalInt.empty());
    }
}

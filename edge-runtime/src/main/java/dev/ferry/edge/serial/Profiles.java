package dev.ferry.edge.serial;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

/**
 * Board profiles (boards/profiles/{hosts,mcus}/NAME.toml) that a config names instead of
 * repeating their values: a host profile gives the UART device and the RS-485 direction pin, an MCU
 * profile the largest message the MCU takes.
 */
final class Profiles {
    private final Path dir;

    Profiles(Path dir) {
        this.dir = dir;
    }

    /** The UART device path of host profile {@code name}. */
    String hostPort(String name) throws IOException {
        TomlParseResult t = load("hosts", name);
        return Optional.ofNullable(t.getString("serial.default_device"))
                .orElseThrow(() -> new IOException("host profile " + name + " has no serial.default_device"));
    }

    /** The RS-485 direction GPIO (BCM) of host profile {@code name}, if it has one. */
    Optional<Integer> hostDirectionPin(String name) throws IOException {
        Long pin = load("hosts", name).getLong("rs485.direction_gpio");
        return pin == null ? Optional.empty() : Optional.of(pin.intValue());
    }

    /** The largest request MCU profile {@code name} reassembles ({@code link.max_message}), if it says. */
    Optional<Integer> mcuMaxMessage(String name) throws IOException {
        Long n = load("mcus", name).getLong("link.max_message");
        return n == null || n < 1 ? Optional.empty() : Optional.of(n.intValue());
    }

    private TomlParseResult load(String kind, String name) throws IOException {
        Path file = dir.resolve(kind).resolve(name + ".toml");
        if (!Files.isRegularFile(file)) {
            throw new IOException("unknown " + kind.substring(0, kind.length() - 1) + " profile '" + name
                    + "' (no " + file + ")");
        }
        TomlParseResult t = Toml.parse(file);
        if (t.hasErrors()) {
            throw new IOException(file + ": " + t.errors().get(0));
        }
        return t;
    }
}

package dev.ferry.edge.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Reads {@code [[lines]]}: one {@link LineConfig} per entry, with its own checks. */
final class LineSection {
    private static final int MAX_BCM = 27;

    private LineSection() {
    }

    static List<Read<LineConfig>> read(TableReader root) {
        List<Read<LineConfig>> out = new ArrayList<>();
        for (TableReader t : root.tables("lines", ConfigSchema.LINE)) {
            out.add(new Read<>(line(t), t));
            t.finish();
        }
        return out;
    }

    private static LineConfig line(TableReader t) {
        String name = t.requiredName("name");
        Optional<String> port = t.optString("port");
        Optional<String> profile = t.optString("host_profile");
        boolean simulate = t.bool("simulate", false);
        boolean hasPort = t.has("port");
        boolean hasProfile = t.has("host_profile");
        if (simulate) {
            for (String k : List.of("port", "host_profile")) {
                if (t.has(k)) {
                    t.problem(k, Problems.render(t.raw(k)), "no " + k + " when simulate = true");
                }
            }
        } else if (hasPort && hasProfile) {
            t.problem("host_profile", Problems.render(t.raw("host_profile")), "either port or host_profile, not both");
        } else if (!hasPort && !hasProfile) {
            t.problem("port", "nothing", "port (a tty path) or host_profile (one is required unless simulate = true)");
        }
        if (port.isPresent() && !port.get().startsWith("/")) {
            t.problem("port", Problems.render(port.get()), "an absolute tty path such as /dev/ttyAMA0");
        } else if (port.isPresent() && !SerialPortPath.isCharacterDeviceOrAbsent(port.get())) {
            t.problem("port", Problems.render(port.get()) + " (" + SerialPortPath.describe(port.get()) + ")",
                    "a serial port: a character device such as /dev/ttyAMA0 (or a path that appears when the adapter is plugged in)");
        }
        if (profile.isPresent() && !TableReader.NAME.matcher(profile.get()).matches()) {
            t.problem("host_profile", Problems.render(profile.get()), "a host profile name such as \"rpi4\"");
        }
        int baud = baud(t);
        int frame = t.integer("frame_size", 256, 32, 2048);
        int window = t.integer("window", 4, 1, 7);
        LineConfig.Rs485 rs485 = t.choice("rs485", LineConfig.Rs485.NONE, LineConfig.Rs485.class);
        OptionalInt pin = t.optInt("rs485_pin", 0, MAX_BCM);
        if (rs485 == LineConfig.Rs485.GPIO && !t.has("rs485_pin")) {
            t.problemAt("rs485", "rs485_pin", "nothing",
                    "a BCM pin number 0.." + MAX_BCM + " (required when rs485 = \"gpio\")");
        } else if (rs485 != LineConfig.Rs485.GPIO && t.has("rs485_pin")) {
            t.problem("rs485_pin", Problems.render(t.raw("rs485_pin")), "no rs485_pin unless rs485 = \"gpio\"");
            pin = OptionalInt.empty();
        }
        int response = t.integer("response_timeout_ms", 0, 0, 60_000);
        int downAfter = t.integer("down_after", 3, 1, 100);
        int reprobe = t.integer("reprobe_max_ms", 30_000, 100, 3_600_000);
        int idlePoll = t.integer("idle_poll_ms", 5, 0, 10_000);
        int idlePollMax = t.integer("idle_poll_max_ms", 40, 0, 10_000);
        int protocol = t.integer("protocol", 2, 1, 2);
        OptionalInt reset = t.optInt("reset_pin", 0, MAX_BCM);
        return new LineConfig(name, port, profile, baud, frame, window, rs485, pin, response,
                downAfter, reprobe, idlePoll, idlePollMax, protocol, reset, simulate);
    }

    private static int baud(TableReader t) {
        OptionalInt b = t.optInt("baud", Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (b.isEmpty()) {
            return 115_200;
        }
        if (!LineConfig.STANDARD_BAUDS.contains(b.getAsInt())) {
            t.problem("baud", Integer.toString(b.getAsInt()), "a standard baud rate (one of "
                    + LineConfig.STANDARD_BAUDS.toString().replaceAll("[\\[\\]]", "") + ")");
            return 115_200;
        }
        return b.getAsInt();
    }
}

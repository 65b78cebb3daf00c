package dev.ferry.northbound;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Ferry configuration with northbound on, for tests and benchmarks: node id, HTTP on loopback,
 * either one simulated MCU ({@code dev0}, Ferry runs host-sim itself) or S stations
 * {@code dev1..devS} on a line whose tty is given (a {@link dev.ferry.sim.HostSim}), and a
 * {@code [northbound]} section publishing every device's {@code sensors/temp} (and, for dev0,
 * {@code leds/0}) to group {@code plant}. Keys set with {@link #nb} replace the defaults. Log
 * lines carry time stamps ({@code [logging] format = "plain"}).
 */
public final class FerryToml {
    private final String node;
    private final int http;
    private final String port;
    private final int stations;
    private final Map<String, String> nb = new LinkedHashMap<>();
    private final List<String> lineKeys = new ArrayList<>();

    private FerryToml(String node, int http, String port, int stations, int mqttPort, Path queue) {
        this.node = node;
        this.http = http;
        this.port = port;
        this.stations = stations;
        nb("enabled", "true");
        nb("broker", q("127.0.0.1:" + mqttPort));
        nb("group_id", q("plant"));
        nb("queue_dir", q(queue.toString()));
        nb("reconnect_min_ms", "100");
        nb("reconnect_max_ms", "1000");
        List<String> publish = new ArrayList<>();
        if (port == null) {
            publish.add(q("/dev0/sensors/temp"));
            publish.add(q("/dev0/leds/0"));
            nb("commands", "[\"/dev0/leds\"]");
        } else {
            for (int i = 1; i <= stations; i++) {
                publish.add(q("/dev" + i + "/sensors/temp"));
            }
        }
        nb("publish", "[" + String.join(", ", publish) + "]");
    }

    /** One MCU, {@code dev0}, on a line Ferry simulates. */
    public static FerryToml simulated(String node, int http, int mqttPort, Path queue) {
        return new FerryToml(node, http, null, 1, mqttPort, queue);
    }

    /** {@code stations} MCUs {@code dev1..devS} at addresses 1..S on the line at {@code tty}. */
    public static FerryToml stations(String node, int http, String tty, int stations, int mqttPort, Path queue) {
        return new FerryToml(node, http, tty, stations, mqttPort, queue);
    }

    public static String q(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Sets {@code [northbound]} key {@code key} to the TOML value {@code value} (quote strings with {@link #q}). */
    public FerryToml nb(String key, String value) {
        nb.put(key, value);
        return this;
    }

    /** Adds a TOML line to the {@code [[lines]]} entry (e.g. {@code reprobe_max_ms = 100}). */
    public FerryToml line(String keyValue) {
        lineKeys.add(keyValue);
        return this;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append("[node]\nid = ").append(q(node)).append('\n');
        b.append("[http]\nlisten = ").append(q("127.0.0.1:" + http)).append('\n');
        b.append("[logging]\nformat = \"plain\"\n");      // lines with time stamps
        if (port == null) {
            b.append("[[lines]]\nname = \"sim0\"\nsimulate = true\n");
            lineKeys.forEach(l -> b.append(l).append('\n'));
            b.append("[[devices]]\nname = \"dev0\"\nline = \"sim0\"\naddress = 1\nmount = \"/dev0\"\n");
        } else {
            b.append("[[lines]]\nname = \"bus0\"\nport = ").append(q(port)).append('\n');
            lineKeys.forEach(l -> b.append(l).append('\n'));
            for (int i = 1; i <= stations; i++) {
                b.append("[[devices]]\nname = \"dev").append(i).append("\"\nline = \"bus0\"\naddress = ").append(i)
                        .append("\nmount = \"/dev").append(i).append("\"\n");
            }
        }
        b.append("[northbound]\n");
        nb.forEach((k, v) -> b.append(k).append(" = ").append(v).append('\n'));
        return b.toString();
    }
}

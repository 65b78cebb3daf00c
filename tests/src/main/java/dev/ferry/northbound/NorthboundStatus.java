package dev.ferry.northbound;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ferry's {@code /#runtime/northbound} as read over HTTP (its documented JSON: state, last_error,
 * failures, queue messages/bytes, published, replayed, dropped by reason, devices), and single
 * values out of it and out of {@code /metrics}. Field names are unique in that document, so a
 * value is found by its name.
 */
public final class NorthboundStatus {
    private NorthboundStatus() {
    }

    /** The document now ("" while Ferry does not answer). */
    public static String get(int httpPort) {
        return FerryProcess.get(httpPort, "/%23runtime/northbound");
    }

    /** The number of field {@code name} (-1 when absent). */
    public static long number(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":(-?[0-9]+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The string of field {@code name} (null when absent). */
    public static String string(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    /** Whether the status says device {@code name} is not attached (false when absent or unreadable). */
    public static boolean detached(String json, String name) {
        return json.contains("\"name\":\"" + name + "\",\"attached\":false");
    }

    /** Whether device {@code name} is attached (false when absent). */
    public static boolean attached(String json, String name) {
        return json.contains("\"name\":\"" + name + "\",\"attached\":true");
    }

    /** Sample {@code family{labels}} of Ferry's {@code /metrics} (-1 when absent). */
    public static long metric(int httpPort, String sample) {
        String text = FerryProcess.get(httpPort, "/metrics");
        for (String line : text.split("\n")) {
            if (line.startsWith(sample + " ")) {
                return (long) Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        return -1;
    }
}

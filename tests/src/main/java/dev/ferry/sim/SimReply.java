package dev.ferry.sim;

import java.util.HashMap;
import java.util.Map;

/**
 * One reply line of ferry-linesim's control channel: a keyword and {@code key=value} words
 * ({@code STATS sent=.. delivered=..}, {@code GAPS busy_us=.. host=..}). Every error is an
 * {@link IllegalArgumentException} naming the line.
 */
final class SimReply {
    private final String line;
    private final Map<String, String> values = new HashMap<>();

    private SimReply(String line) {
        this.line = line;
    }

    /**
     * Parses {@code line}, which must start with {@code keyword} and have exactly {@code fields}
     * {@code key=value} words after it.
     */
    static SimReply parse(String line, String keyword, int fields) {
        String[] words = line.trim().split(" ");
        if (words.length != fields + 1 || !words[0].equals(keyword)) {
            throw new IllegalArgumentException("not a " + keyword + " line: " + line);
        }
        SimReply r = new SimReply(line);
        for (int i = 1; i < words.length; i++) {
            int eq = words[i].indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("not a " + keyword + " line: " + line);
            }
            r.values.put(words[i].substring(0, eq), words[i].substring(eq + 1));
        }
        return r;
    }

    /** The line as received, for error messages. */
    String line() {
        return line;
    }

    /** The value of {@code key}. */
    String text(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no " + key + " in " + line);
        }
        return v;
    }

    /** The value of {@code key} as a number. */
    long number(String key) {
        try {
            return Long.parseLong(text(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number for " + key + " in " + line, e);
        }
    }
}

package dev.ferry.edge.metrics;

import org.tinylog.Logger;

/**
 * The one way to log a line caused by remote input (a bad request, a refused connection, a
 * garbage datagram): every such line goes through one process-wide {@link LogBudget} keyed by its
 * reason, so a flood writes at most one line per reason per second, the next written line saying
 * how many were held back ("... and N more suppressed"); and wire values are shown only through
 * {@link #excerpt}, never in full. Counting the event is the caller's job (a metric per reason);
 * this class only guards the log. Thread-safe.
 */
public final class RemoteLog {
    /** Longest excerpt of a wire value shown in a log line, in characters. */
    public static final int EXCERPT = 64;

    private static final LogBudget BUDGET = new LogBudget(1_000_000_000L, 1024, System::nanoTime);

    private static final java.util.concurrent.atomic.AtomicBoolean FLUSHING =
            new java.util.concurrent.atomic.AtomicBoolean();

    private RemoteLog() { }

    /** A WARN line for {@code reason}, if the budget admits it; arguments as tinylog's {@code {}}. */
    public static void warn(String reason, String format, Object... args) {
        long held = BUDGET.admit(reason);
        if (held < 0) {
            flushLater();
            return;
        }
        String line = held > 0 ? format + " (and " + held + " more suppressed)" : format;
        Logger.warn(line, args);
    }

    /** An INFO line for {@code reason}, under the same budget. */
    public static void info(String reason, String format, Object... args) {
        long held = BUDGET.admit(reason);
        if (held < 0) {
            flushLater();
            return;
        }
        Logger.info(held > 0 ? format + " (and " + held + " more suppressed)" : format, args);
    }

    /**
     * A wire value fit for a log line: at most {@value #EXCERPT} characters, control and
     * non-ASCII characters shown as {@code \xNN}, with the full length noted when cut. Null is
     * {@code "null"}.
     */
    public static String excerpt(Object value) {
        return excerpt(value, EXCERPT);
    }

    /**
     * Like {@link #excerpt(Object)} with room for {@code max} characters: for a line of our own
     * words with wire values inside (a drop's detail), where the plain excerpt would cut our words.
     */
    public static String excerpt(Object value, int max) {
        if (value == null) {
            return "null";
        }
        String s = String.valueOf(value);
        StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 16);
        int i = 0;
        for (; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                b.append(String.format("\\x%02x", c & 0xFF));
            } else {
                b.append(c);
            }
        }
        if (i < s.length()) {
            b.append("... (").append(s.length()).append(" chars)");
        }
        return b.toString();
    }

    /**
     * Lines held back are announced even when no later line of their reason comes: from the
     * first suppression on, one daemon thread writes, once a second, "N more suppressed" for every
     * reason whose held-back lines are a second old.
     */
    private static void flushLater() {
        if (FLUSHING.compareAndSet(false, true)) {
            Thread t = new Thread(RemoteLog::flushEverySecond, "ferry-remote-log");
            t.setDaemon(true);
            t.start();
        }
    }

    private static void flushEverySecond() {
        while (true) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            flush();
        }
    }

    /** Writes one summary line for each reason with lines held back for a second or more. */
    static void flush() {
        BUDGET.drainHeld().forEach((reason, n) ->
                Logger.warn("remote input ({}): {} more suppressed in the last second(s)", reason, n));
    }
}

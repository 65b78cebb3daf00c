package dev.ferry.bridge.bus;

/**
 * The measured turnaround of one station, for its response timeout T1 (issue 15: an Uno in QEMU
 * on a loaded host answers later than baud rate and frame size say, and a fixed margin made the
 * link flap). A turnaround sample is the time from the end of our transmission's wire time to the
 * first byte of the answer: the pty/USB hops, the scheduler, the MCU's own work.
 *
 * <pre>
 *   smoothed  = 7/8 smoothed + 1/8 sample            (as TCP's RTO, RFC 6298)
 *   variation = 3/4 variation + 1/4 |smoothed - sample|
 *   margin    = max(configured margin, smoothed + 4 variation) x 4^(timeouts in a row), capped
 * </pre>
 *
 * A connected turn that timed out quadruples the margin for the next one (at most
 * {@value #MAX_BACKOFF_SHIFT} times, never above {@link #MAX_MARGIN_NANOS}): with the default
 * 15 ms margin the three turns before a link is declared lost wait 15, 60 and 240 ms for an
 * answer, which rides out a loaded host's scheduling stalls, while a station that answers is
 * never waited for longer than it takes. An answered turn ends the back-off. A late answer
 * that arrives after T1 gave up is a sample too, so the estimate catches up with a slow station.
 * Not thread-safe: the bus thread owns it.
 */
final class TurnaroundEstimate {
    static final long MAX_MARGIN_NANOS = 2_000_000_000L;
    static final int MAX_BACKOFF_SHIFT = 3;

    private long smoothed = -1;
    private long variation;
    private int backoff;

    /** The station's first answer byte came {@code nanos} after our transmission's wire time. */
    void sample(long nanos) {
        long s = Math.max(0, nanos);
        if (smoothed < 0) {
            smoothed = s;
            variation = s / 2;
        } else {
            variation = (3 * variation + Math.abs(smoothed - s)) / 4;
            smoothed = (7 * smoothed + s) / 8;
        }
        backoff = 0;
    }

    /** A turn ended without its final frame. */
    void timedOut() {
        backoff = Math.min(MAX_BACKOFF_SHIFT, backoff + 1);
    }

    /** The link was set up again or the line reopened: the old figures may not hold. */
    void reset() {
        smoothed = -1;
        variation = 0;
        backoff = 0;
    }

    /**
     * The margin to add to the wire times in T1: at least {@code configured}. {@code connected}
     * turns include the back-off after timeouts; a set-up probe does not (a station that stopped
     * answering must not make every probe of it, and so the whole bus, slower).
     */
    long marginNanos(long configured, boolean connected) {
        long measured = smoothed < 0 ? 0 : smoothed + 4 * variation;
        return Math.min(MAX_MARGIN_NANOS, Math.max(configured, measured) << (connected ? 2 * backoff : 0));
    }

    /** The smoothed turnaround, -1 before the first sample (for the line's figures). */
    long smoothedNanos() {
        return smoothed;
    }
}

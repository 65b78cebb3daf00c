package dev.ferry.edge.resi;

/**
 * The rate bound on a link's resends ({@code [[peers]] resend_rate}): a token bucket that fills
 * at {@code rate} envelopes per second and holds at most one second's worth, so a peer asking
 * again and again, or acks that stay away, cost at most {@code rate} resent envelopes a second.
 * What it refuses is the caller's to count and retry later. Pure code with times passed in
 * ({@code System.nanoTime()} style); not thread-safe.
 */
final class ResendBudget {
    private static final long SECOND = 1_000_000_000L;

    private final long rate;
    private long tokens;
    private long lastFill;
    private boolean filled;

    /** @param rate envelopes per second, at least 1 */
    ResendBudget(long rate) {
        if (rate < 1) {
            throw new IllegalArgumentException("rate >= 1");
        }
        this.rate = rate;
        this.tokens = rate;
    }

    /** Takes up to {@code want} resends at {@code now}; returns how many may go now (0..want). */
    int take(int want, long now) {
        fill(now);
        int granted = (int) Math.min(want, tokens);
        tokens -= granted;
        return granted;
    }

    private void fill(long now) {
        if (!filled) {
            filled = true;
            lastFill = now;
            return;
        }
        long elapsed = now - lastFill;
        if (elapsed <= 0) {
            return;
        }
        long add = elapsed >= SECOND ? rate : elapsed * rate / SECOND;
        if (add > 0) {
            tokens = Math.min(rate, tokens + add);
            // keep the remainder of a partial token: advance only by the time the added tokens took
            lastFill = add >= rate ? now : lastFill + add * SECOND / rate;
        }
    }
}

package dev.ferry.edge.resi;

/**
 * Whether one transport's copies can be trusted, judged by their integrity checks
 * ({@link EnvelopeCheck}). A transport is <em>failing</em> once {@code limit} of its envelopes
 * failed their check with never {@code limit} good ones in a row between two of them
 * ({@code [[peers]] max_bad_copies}), and stops failing once it carried {@code limit} good
 * envelopes in a row and none bad for {@code quietNanos} (the link's dead interval,
 * {@code dead_after_pings × ping_interval_ms}). So a transport that corrupts now and then (a good
 * run of {@code limit} between the bad ones) stays, and its few bad copies are repaired by
 * targeted resends; one that keeps corrupting leaves the live set and stays out (no flapping on a
 * lucky run) until it has been clean for a while. The state survives reconnects of the transport:
 * a corrupting path does not rejoin by reconnecting. Pure code with times passed in
 * ({@code System.nanoTime()} style), not thread-safe.
 */
final class PathIntegrity {
    /** What one envelope did to the state. */
    enum Change { NONE, FAILING, RECOVERED }

    private final int limit;
    private final long quietNanos;
    private long lastBad;
    private int bad;       // bad envelopes since the last run of `limit` good ones
    private int goodRun;   // good envelopes in a row, capped at `limit`
    private boolean failing;
    private long badTotal;

    /**
     * @param limit      1..: bad envelopes to fail, good ones in a row to recover
     * @param quietNanos how long a failing transport must carry no bad envelope to recover
     */
    PathIntegrity(int limit, long quietNanos) {
        if (limit < 1 || quietNanos < 0) {
            throw new IllegalArgumentException("limit >= 1, quietNanos >= 0");
        }
        this.limit = limit;
        this.quietNanos = quietNanos;
    }

    /** An envelope failed its check (or, from a peer that sends checks, came without one) at {@code now}. */
    Change bad(long now) {
        badTotal++;
        lastBad = now;
        goodRun = 0;
        if (bad < limit) {
            bad++;
        }
        if (!failing && bad >= limit) {
            failing = true;
            return Change.FAILING;
        }
        return Change.NONE;
    }

    /** An envelope passed its check at {@code now}. */
    Change good(long now) {
        if (goodRun < limit) {
            goodRun++;
        }
        if (goodRun >= limit) {
            bad = 0;
            if (failing && now - lastBad >= quietNanos) {
                failing = false;
                return Change.RECOVERED;
            }
        }
        return Change.NONE;
    }

    boolean failing() {
        return failing;
    }

    /** Envelopes that failed their check, in all. */
    long badTotal() {
        return badTotal;
    }

    int limit() {
        return limit;
    }
}

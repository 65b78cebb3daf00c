package dev.ferry.edge.raet;

import java.util.concurrent.TimeUnit;

/**
 * Sizes, bounds and timers of one RAET stack (RAET.md section 6). Every table is bounded by one of
 * these. Times in nanoseconds.
 *
 * @param segmentBytes      body bytes per kind C segment (and the largest kind A, B, D message)
 * @param maxSegments       most segments in one kind C message (1..65535)
 * @param windowSegments    kind C segments sent and not yet acknowledged, at most
 * @param pendingMessages   kind C messages in flight (sender) and in escrow (receiver), at most
 * @param reassemblyBytes   bytes held in kind C reassembly and escrow, at most
 * @param retryInitial      first retry (B, D, C probe) and join retry interval; doubles each time
 * @param retryCap          longest retry interval (infinite retries back off up to this)
 * @param finiteRetries     retries before a finite transaction expires (B1)
 * @param resendGuard       a segment is not resent again sooner than this after its last send
 * @param repeats           copies sent of a kind A message
 * @param repeatInterval    spacing of kind A copies
 * @param transactions      open B/D/A transactions per side, at most
 * @param dupEntries        duplicate-detection entries per table, at most
 * @param dupTimeout        how long a received transaction id is remembered
 * @param escrowTimeout     a gap older than this makes the receiver ask again
 * @param requestTimeout    a kind D request without response expires after this
 */
public record RaetOptions(int segmentBytes, int maxSegments, int windowSegments, int pendingMessages,
                          long reassemblyBytes, long retryInitial, long retryCap, int finiteRetries, long resendGuard,
                          int repeats, long repeatInterval, int transactions, int dupEntries, long dupTimeout,
                          long escrowTimeout, long requestTimeout) {
    public RaetOptions {
        if (segmentBytes < 64 || segmentBytes > 60_000 || maxSegments < 1 || maxSegments > 65535
                || windowSegments < 1 || pendingMessages < 1 || pendingMessages > 65535 || reassemblyBytes < segmentBytes
                || retryInitial <= 0 || retryCap < retryInitial || finiteRetries < 0 || repeats < 1 || transactions < 1
                || dupEntries < 1) {
            throw new IllegalArgumentException("bad RAET options " + this);
        }
    }

    public static RaetOptions defaults() {
        return new RaetOptions(1200, 1024, 256, 256, 16L << 20, ms(20), ms(1000), 8, ms(5), 2, ms(2), 1024, 8192,
                TimeUnit.SECONDS.toNanos(60), ms(10), TimeUnit.SECONDS.toNanos(5));
    }

    /** Largest kind C message. */
    public long maxMessage() {
        return (long) segmentBytes * maxSegments;
    }

    public RaetOptions withSegmentBytes(int n) {
        return new RaetOptions(n, maxSegments, windowSegments, pendingMessages, reassemblyBytes, retryInitial, retryCap,
                finiteRetries, resendGuard, repeats, repeatInterval, transactions, dupEntries, dupTimeout, escrowTimeout,
                requestTimeout);
    }

    public RaetOptions withWindow(int segments) {
        return new RaetOptions(segmentBytes, maxSegments, segments, pendingMessages, reassemblyBytes, retryInitial,
                retryCap, finiteRetries, resendGuard, repeats, repeatInterval, transactions, dupEntries, dupTimeout,
                escrowTimeout, requestTimeout);
    }

    public RaetOptions withRetries(long initial, long cap, int finite) {
        return new RaetOptions(segmentBytes, maxSegments, windowSegments, pendingMessages, reassemblyBytes, initial, cap,
                finite, resendGuard, repeats, repeatInterval, transactions, dupEntries, dupTimeout, escrowTimeout,
                requestTimeout);
    }

    static long ms(long m) {
        return TimeUnit.MILLISECONDS.toNanos(m);
    }
}

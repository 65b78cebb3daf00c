package dev.ferry.edge.resi;

import dev.ferry.edge.config.PeerConfig;
import dev.ferry.edge.transport.Transport;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.tinylog.Logger;

/**
 * The send side of a {@link PeerLink}: consecutive sequence numbers, the bounded
 * {@link ResendBuffer} of unacknowledged envelopes, and resending them: to a transport joining
 * the live set, on every carrying transport when one leaves it, on a resend request (on the
 * transport it came on when it says {@code here}, else on every carrying one), and when no ack
 * has made progress within the ack timeout (the larger of {@code ackTimeoutMillis} and four
 * round trips of the slowest carrying transport, doubled after each timeout without progress up
 * to 32 times). Resends on request and on timeout are bounded by {@link ResendBudget}
 * ({@code resend_rate}); what it holds back is counted ({@code resendsHeld}) and left to the next
 * request or timeout. Guarded by the link's monitor.
 */
final class LinkSender {
    private final PeerConfig config;
    private final LinkOptions options;
    private final LinkPaths paths;
    private final LinkCounters n;
    private final LongSupplier clock;
    private final ResendBuffer resend;
    private final ResendBudget budget;
    private final LinkMetrics metrics;
    private long nextSeq;
    private long lastAckProgress;
    private int timeoutBackoff; // timeouts in a row without ack progress, up to MAX_BACKOFF
    private static final int MAX_BACKOFF = 5;

    /** @param firstSeq the sequence number of the first envelope sent (positive) */
    LinkSender(PeerConfig config, LinkOptions options, LinkPaths paths, LinkCounters n, LinkMetrics metrics,
               LongSupplier clock, long firstSeq) {
        this.metrics = metrics;
        this.config = config;
        this.options = options;
        this.paths = paths;
        this.n = n;
        this.clock = clock;
        this.resend = new ResendBuffer(config.resendBuffer(), options.maxQueuedBytes());
        this.budget = new ResendBudget(config.resendRate());
        this.nextSeq = firstSeq;
    }


    /** The link started: the ack timeout counts from now. */
    void started() {
        lastAckProgress = clock.getAsLong();
    }

    boolean isFull() {
        return resend.isFull();
    }

    /** Whether producers waiting for room should be woken: {@link ResendBuffer#quarterFree()}. */
    boolean roomForWaiters() {
        return resend.quarterFree();
    }

    /** How many envelopes are unacknowledged. */
    int held() {
        return resend.size();
    }

    /** Our handshake's first_seq: the oldest unacknowledged sequence number, else the next one. */
    long firstUnacked() {
        return resend.size() > 0 ? resend.oldest() : nextSeq;
    }

    /**
     * Stamps {@code body} ({@link SequencedEnvelope#body}, encoded outside the link's lock) with the
     * next sequence number and our cumulative {@code ack}, keeps it for
     * resending and sends it on every live transport.
     *
     * @return false (nothing kept or sent) when the resend buffer is full or the envelope is
     *     longer than {@code maxEnvelope}
     */
    boolean send(byte[] body, long ack) {
        if (resend.isFull()) {
            if (n.backpressure++ % 1000 == 0) {
                Logger.debug("peer {}: resend buffer full ({} envelopes, {} bytes), refusing", config.id(),
                        resend.size(), resend.bytes());
            }
            return false;
        }
        long seq = nextSeq;
        byte[] bytes = SequencedEnvelope.stamp(seq, ack, body);
        if (bytes.length > options.maxEnvelope()) {
            n.tooLong++;
            return false;
        }
        nextSeq++;
        if (resend.size() == 0) {
            lastAckProgress = clock.getAsLong();
        }
        resend.add(seq, bytes);
        n.sent++;
        metrics.sent();
        paths.sendOnLive(bytes);
        return true;
    }

    /**
     * The peer's cumulative ack: frees what it covers. Acks outside what we hold (stale, or from
     * another session of ours) are ignored.
     *
     * @return true if something was freed
     */
    boolean ackReceived(long ack) {
        if (resend.size() == 0 || ack < resend.oldest() || ack >= nextSeq) {
            return false; // nothing to free, or a stale ack from another session of ours
        }
        if (resend.ack(ack) > 0) {
            lastAckProgress = clock.getAsLong();
            timeoutBackoff = 0;
            return true;
        }
        return false;
    }

    /**
     * The peer asked for {@code seq} again: resent, if still held and the rate bound allows, on
     * {@code here} only (the transport whose copy the peer lacks) or, when null, on every
     * carrying transport.
     */
    void resendOne(long seq, Transport here) {
        byte[] b = resend.get(seq);
        if (b == null) {
            return;
        }
        if (budget.take(1, clock.getAsLong()) == 0) {
            n.resendsHeld++;
            metrics.resendsHeld(1);
            return;
        }
        n.resends++;
        if (here != null) {
            here.send(b);
            metrics.resent(1L << here.index(), LinkMetrics.Cause.REQUEST, 1);
        } else {
            paths.sendOnLive(b);
            metrics.resent(paths.carryMask(), LinkMetrics.Cause.REQUEST, 1);
        }
    }

    /** Every unacknowledged envelope, on {@code t} only (a transport that joined the live set). */
    void resendTo(Transport t) {
        resend.forEach((seq, bytes) -> t.send(bytes));
        n.resends += resend.size();
        metrics.resent(1L << t.index(), LinkMetrics.Cause.JOINED, resend.size());
    }

    /** Every unacknowledged envelope, on every carrying transport (one left the live set). */
    void resendOnLive() {
        resend.forEach((seq, bytes) -> paths.sendOnLive(bytes));
        n.resends += resend.size();
        metrics.resent(paths.carryMask(), LinkMetrics.Cause.LOST, resend.size());
    }

    /**
     * Housekeeping: when the ack timeout passed, resends the oldest unacknowledged envelopes on
     * every carrying transport, as many as the rate bound allows (the rest counted as held), and
     * doubles the timeout until an ack makes progress.
     */
    void tick(long now) {
        if (resend.size() > 0 && now - lastAckProgress > ackTimeoutNanos() << timeoutBackoff
                && paths.carryMask() != 0) {
            int granted = budget.take(resend.size(), now);
            int[] left = {granted};
            resend.forEach((seq, bytes) -> {
                if (left[0]-- > 0) {
                    paths.sendOnLive(bytes);
                }
            });
            n.resends += granted;
            n.resendsHeld += resend.size() - granted;
            n.ackTimeouts++;
            metrics.resent(paths.carryMask(), LinkMetrics.Cause.TIMEOUT, granted);
            metrics.resendsHeld(resend.size() - granted);
            timeoutBackoff = Math.min(MAX_BACKOFF, timeoutBackoff + 1);
            lastAckProgress = now;
        }
    }

    private long ackTimeoutNanos() {
        return Math.max(TimeUnit.MILLISECONDS.toNanos(options.ackTimeoutMillis()), 4 * paths.maxLiveRttNanos());
    }
}

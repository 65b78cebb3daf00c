package dev.ferry.edge.resi;

import dev.ferry.edge.config.PeerConfig;
import dev.ferry.edge.transport.Transport;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.tinylog.Logger;

/**
 * The send side of a {@link PeerLink}: consecutive sequence numbers, the bounded
 * {@link ResendBuffer} of unacknowledged envelopes, and resending them (on a resend request, to a
 * transport joining the live set, on every live transport when one leaves it, and when no ack
 * has made progress within the ack timeout: the larger of {@code ackTimeoutMillis} and four
 * round trips of the slowest live transport). Guarded by the link's monitor.
 */
final class LinkSender {
    private final PeerConfig config;
    private final LinkOptions options;
    private final LinkPaths paths;
    private final LinkCounters n;
    private final LongSupplier clock;
    private final ResendBuffer resend;
    private long nextSeq;
    private long lastAckProgress;

    /** @param firstSeq the sequence number of the first envelope sent (positive) */
    LinkSender(PeerConfig config, LinkOptions options, LinkPaths paths, LinkCounters n, LongSupplier clock,
               long firstSeq) {
        this.config = config;
        this.options = options;
        this.paths = paths;
        this.n = n;
        this.clock = clock;
        this.resend = new ResendBuffer(config.resendBuffer(), options.maxQueuedBytes());
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
            return true;
        }
        return false;
    }

    /** The peer asked for {@code seq} again: resent on every live transport if still held. */
    void resendOne(long seq) {
        byte[] b = resend.get(seq);
        if (b != null) {
            n.resends++;
            paths.sendOnLive(b);
        }
    }

    /** Every unacknowledged envelope, on {@code t} only (a transport that joined the live set). */
    void resendTo(Transport t) {
        resend.forEach((seq, bytes) -> t.send(bytes));
        n.resends += resend.size();
    }

    /** Every unacknowledged envelope, on every live transport. */
    void resendOnLive() {
        resend.forEach((seq, bytes) -> paths.sendOnLive(bytes));
        n.resends += resend.size();
    }

    /** Housekeeping: resends everything unacknowledged when the ack timeout passed. */
    void tick(long now) {
        if (resend.size() > 0 && now - lastAckProgress > ackTimeoutNanos() && paths.liveMask() != 0) {
            n.resends += resend.size();
            n.ackTimeouts++;
            resend.forEach((seq, bytes) -> paths.sendOnLive(bytes));
            lastAckProgress = now;
        }
    }

    private long ackTimeoutNanos() {
        return Math.max(TimeUnit.MILLISECONDS.toNanos(options.ackTimeoutMillis()), 4 * paths.maxLiveRttNanos());
    }
}

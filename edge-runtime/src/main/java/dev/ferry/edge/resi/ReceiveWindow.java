package dev.ferry.edge.resi;

import dev.ferry.edge.config.PeerConfig;
import dev.ferry.edge.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The receive side's state in a {@link PeerLink}: the {@link MergeWindow} that merges the copies
 * arriving on every transport back into one ordered stream, and when to acknowledge it. Our
 * cumulative ack rides on each sequenced envelope we send; otherwise a bare ack goes out on every
 * handshaken transport at the end of a batch of arrivals ({@link #ackIfDue}) once {@code ackEvery}
 * deliveries are unacknowledged, or at the next tick when deliveries or a duplicate are waiting
 * for one. (One ack per batch: under load a socket read brings a thousand envelopes, and an ack
 * every {@code ackEvery} of them cost the receiving loop a write per transport for little.)
 * Copies a live transport lost are asked for on that transport ({@link GapRepair}): at the end
 * of each batch on a stream transport while something waits in the window, and at each tick.
 * Guarded by the link's monitor.
 */
final class ReceiveWindow {
    private final MergeWindow<Arrival> merge;
    private final LinkPaths paths;
    private final LinkOptions options;
    private final LinkCounters n;
    private final LinkMetrics metrics;
    private final GapRepair gaps;
    private final GapRepair.Sink requests;
    private final List<Arrival> scratch = new ArrayList<>();
    private int deliveredSinceAck;
    private boolean ackPending;

    ReceiveWindow(PeerConfig config, LinkOptions options, LinkPaths paths, LinkCounters n, LinkMetrics metrics) {
        this.merge = new MergeWindow<>(config.mode(), config.dupWindow(), paths.size(), Arrival::sameContent);
        this.paths = paths;
        this.options = options;
        this.n = n;
        this.metrics = metrics;
        this.gaps = new GapRepair(config.mode() == PeerConfig.Mode.STRICT, paths.size());
        this.requests = (t, seq) -> {
            paths.transport(t).send(Envelopes.resendHere(seq, "copy lost on this transport"));
            n.resendRequestsSent++;
            metrics.requestSent(t);
        };
    }

    MergeWindow<Arrival> merge() {
        return merge;
    }

    /** An empty list for one offer's released envelopes (reused: one offer at a time, under the lock). */
    List<Arrival> scratch() {
        scratch.clear();
        return scratch;
    }

    /** Our cumulative ack: the highest sequence number handed over in order. */
    long delivered() {
        return merge.delivered();
    }

    /** The peer started a new session whose first sequence number is {@code firstSeq}. */
    void peerRestarted(long firstSeq) {
        merge.reset(Math.max(0, firstSeq - 1));
        gaps.reset();
        deliveredSinceAck = 0;
    }

    /** A good copy of {@code seq} arrived on transport {@code t} (what tells a transport's gaps). */
    void seen(int t, long seq) {
        gaps.seen(t, seq);
    }

    /** Transport {@code t} joined the live set afresh. */
    void joined(int t) {
        gaps.forget(t);
    }

    /** The end of a batch of arrivals on {@code t}: asks for what a stream transport lost, if anything waits. */
    void repairAfterBatch(Transport t, long now) {
        if (merge.held() > 0 && t.isStream() && paths.path(t.index()).isLive()) {
            gaps.check(t.index(), true, false, merge, now, retryNanos(), requests);
        }
    }

    private long retryNanos() {
        return Math.max(TimeUnit.MILLISECONDS.toNanos(options.ackTimeoutMillis()), 4 * paths.maxLiveRttNanos());
    }

    /** {@code count} envelopes were handed over: acked at {@link #ackIfDue} or the next tick. */
    void released(int count) {
        deliveredSinceAck += count;
        ackPending = true;
    }

    /** The end of a batch of arrivals: a bare ack goes out now if {@code ackEvery} deliveries wait for one. */
    void ackIfDue() {
        if (deliveredSinceAck >= options.ackEvery()) {
            sendAck();
        }
    }

    /** An ack is due at the next tick (the peer resent something we already have). */
    void requestAck() {
        ackPending = true;
    }

    /** Our ack just went out on a sequenced envelope. */
    void piggybacked() {
        deliveredSinceAck = 0;
        ackPending = false;
    }

    /** Housekeeping: sends a bare ack if one is due, asks every live transport for what it lost. */
    void tick(long now) {
        if (ackPending) {
            sendAck();
        }
        for (int i = 0; i < paths.size(); i++) {
            if (paths.path(i).isLive()) {
                gaps.check(i, paths.transport(i).isStream(), true, merge, now, retryNanos(), requests);
            }
        }
    }

    private void sendAck() {
        paths.sendOnHandshaken(Envelopes.ack(merge.delivered()));
        deliveredSinceAck = 0;
        ackPending = false;
    }
}

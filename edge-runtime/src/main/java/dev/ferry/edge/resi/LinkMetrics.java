package dev.ferry.edge.resi;

import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.transport.Transport;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * A peer link's counters in the gateway's {@link Metrics}, labelled {@code peer} and, where a
 * transport is to blame or to thank, {@code transport} (its index in the peer's configuration, as
 * in {@link PeerMetrics}; {@code ferry_resi_transport_info} gives its name). Each series is resolved once,
 * so counting costs one {@link LongAdder} increment. Thread-safe.
 */
final class LinkMetrics {
    static final String SENT = "ferry_resi_envelopes_sent_total";
    static final String DELIVERED = "ferry_resi_envelopes_delivered_total";
    static final String RESENDS = "ferry_resi_resends_total";
    static final String RESENDS_HELD = "ferry_resi_resends_held_total";
    static final String RESEND_REQUESTS = "ferry_resi_resend_requests_total";
    static final String BAD_COPIES = "ferry_resi_bad_copies_total";
    static final String DUPLICATES = "ferry_resi_duplicates_total";
    static final String MISMATCHES = "ferry_resi_mismatches_total";
    static final String LIVE_CHANGES = "ferry_resi_live_set_changes_total";
    static final String EXTENSIONS = "ferry_resi_extensions_total";

    /** Why envelopes were resent. */
    enum Cause { REQUEST, TIMEOUT, JOINED, LOST }

    /** Why a copy was refused as bad. */
    enum Bad { CRC, NO_CRC, GARBAGE }

    /** What happened to a received Modify extension (see {@link ExtensionRelay}). */
    enum Ext { ANSWERED, PASSED, FORWARDED, NOT_FORWARDED, DROPPED, LOOPED, HOP_LIMIT }

    private final String peer;
    private final List<Transport> transports;
    private Metrics metrics;
    private LongAdder sent;
    private LongAdder delivered;
    private LongAdder resendsHeld;
    private LongAdder mismatches;
    private LongAdder[][] resends;
    private LongAdder[][] requests;
    private LongAdder[][] bad;
    private LongAdder[][] liveChanges;
    private LongAdder[] duplicates;

    /**
     * Counts into a {@link Metrics} of its own until {@link #bind} names the gateway's.
     * Per-transport series are resolved on first use.
     */
    LinkMetrics(String peer, List<Transport> transports) {
        this.peer = peer;
        this.transports = List.copyOf(transports);
        bind(new Metrics());
    }

    /** Counts into {@code m} from now on; before the link starts (not thread-safe against counting). */
    void bind(Metrics m) {
        metrics = m;
        describe(m);
        sent = m.counter(Metrics.key(SENT, "peer", peer));
        delivered = m.counter(Metrics.key(DELIVERED, "peer", peer));
        resendsHeld = m.counter(Metrics.key(RESENDS_HELD, "peer", peer));
        mismatches = m.counter(Metrics.key(MISMATCHES, "peer", peer));
        int n = transports.size();
        resends = new LongAdder[Cause.values().length][n];
        requests = new LongAdder[2][n];
        bad = new LongAdder[Bad.values().length][n];
        liveChanges = new LongAdder[2][n];
        duplicates = new LongAdder[n];
    }

    /** The series of {@code family} for transport {@code t}, resolved once (a race resolves the same one). */
    private LongAdder series(LongAdder[] row, int t, String family, String... more) {
        LongAdder a = row[t];
        if (a == null) {
            String[] labels = new String[4 + more.length];
            labels[0] = "peer";
            labels[1] = peer;
            labels[2] = "transport";
            labels[3] = Integer.toString(t);
            System.arraycopy(more, 0, labels, 4, more.length);
            a = metrics.counter(Metrics.key(family, labels));
            row[t] = a;
        }
        return a;
    }

    /** The help text of every family, for the {@code /metrics} exposition. */
    static void describe(Metrics m) {
        m.describe(SENT, "Sequenced envelopes (RP messages, Modify) accepted for sending to a peer.");
        m.describe(DELIVERED, "Sequenced envelopes from a peer handed over in order, once.");
        m.describe(RESENDS, "Envelopes resent on a transport, by cause: request (the peer asked), timeout (no ack"
                + " progress), joined (a transport joined the live set), lost (one left it).");
        m.describe(RESENDS_HELD, "Resends held back by the peer's resend_rate bound (retried later).");
        m.describe(RESEND_REQUESTS, "RESEND requests for single envelopes on a transport, sent or received.");
        m.describe(BAD_COPIES, "Envelopes refused on a transport: crc (integrity check failed), no_crc (missing from a"
                + " peer that sends checks), garbage (unparseable).");
        m.describe(DUPLICATES, "Copies dropped on a transport as already delivered or already held (redundant copies"
                + " and received retransmissions).");
        m.describe(MISMATCHES, "Strict mode: two copies of one envelope differed (neither delivered, resend asked).");
        m.describe(LIVE_CHANGES, "A transport joined or left a peer's live set.");
        m.describe(EXTENSIONS, "Modify extensions received from a peer, by what was done: answered (known here), passed"
                + " (pass = true, shown), forwarded (to another peer), not_forwarded (that peer's link refused: down or"
                + " full), dropped (pass = false), looped (seen before), hop_limit.");
    }

    void sent() {
        sent.increment();
    }

    void delivered(int n) {
        delivered.add(n);
    }

    void resent(long mask, Cause c, int n) {
        if (n == 0) {
            return;
        }
        for (int i = 0; i < duplicates.length; i++) {
            if ((mask & (1L << i)) != 0) {
                series(resends[c.ordinal()], i, RESENDS, "cause", label(c)).add(n);
            }
        }
    }

    void resendsHeld(int n) {
        resendsHeld.add(n);
    }

    void requestSent(int t) {
        series(requests[0], t, RESEND_REQUESTS, "direction", "sent").increment();
    }

    void requestReceived(int t) {
        series(requests[1], t, RESEND_REQUESTS, "direction", "received").increment();
    }

    void bad(int t, Bad why) {
        series(bad[why.ordinal()], t, BAD_COPIES, "reason", label(why)).increment();
    }

    void duplicate(int t) {
        series(duplicates, t, DUPLICATES).increment();
    }

    void mismatch() {
        mismatches.increment();
    }

    void liveChange(int t, boolean joined) {
        series(liveChanges[joined ? 0 : 1], t, LIVE_CHANGES, "change", joined ? "joined" : "left").increment();
    }

    void extension(Ext what) {
        metrics.inc(EXTENSIONS, "peer", peer, "action", label(what));
    }

    private static String label(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}

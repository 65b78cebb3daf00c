package dev.ferry.edge.resi;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.ferry.edge.metrics.RemoteLog;
import dev.ferry.edge.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A {@link PeerLink}'s transport callbacks, serialised into the link. Each envelope is skimmed
 * ({@link Arrival}); a later copy of a sequenced envelope goes to the merge window as raw bytes
 * and a bare ack frees the resend buffer, both without a parse; anything else is parsed (and an
 * RP message converted) outside the lock, then handled by {@link LinkReceive} under the link's
 * monitor (nothing is handled once the link is closed); then the listener calls that caused are
 * run outside the lock. An unparseable envelope or transport garbage is counted as a bad copy on
 * its transport and logged (rate-limited). Transport garbage (a broken frame) resets a stream
 * transport and drops the rest of its batch (the stream lost step; the peer resends what we did
 * not acknowledge). An unparseable envelope in a good frame does the same unless the peer sends
 * integrity checks: then it is one corrupt copy, dropped alone, and the stream goes on (a stream
 * whose copies keep failing is reset when it leaves the live set). A datagram is dropped alone.
 * What arrived before the garbage is handled before the reset.
 *
 * <p>A batch (one socket read) takes the monitor twice, not once or twice per envelope. Under the
 * first, in order: what needs no parse is done, the rest is passed over, up to the first
 * handshake, result or envelope the skim refuses (a handshake can start a new session of the
 * peer's, which changes what every sequence number after it means). Then the passed-over
 * envelopes and everything from that point on are parsed, and handled in order under the second.
 */
final class TransportEvents implements Transport.Receiver {
    private final PeerLink link;
    private final LongSupplier clock;

    TransportEvents(PeerLink link, LongSupplier clock) {
        this.link = link;
        this.clock = clock;
    }

    @Override
    public void onEnvelope(Transport t, byte[] bytes) {
        onEnvelopes(t, List.of(bytes));
    }

    @Override
    public void onEnvelopes(Transport t, List<byte[]> envelopes) {
        int n = envelopes.size();
        Arrival[] skimmed = new Arrival[n];
        for (int i = 0; i < n; i++) {
            skimmed[i] = Arrival.skim(envelopes.get(i));
        }
        List<Arrival> passed = new ArrayList<>();
        int tail;
        boolean resync; // whether an unparseable envelope means the stream lost step
        synchronized (link) {
            if (link.isClosed()) {
                return;
            }
            tail = withoutParse(t, skimmed, passed, clock.getAsLong());
            resync = t.isStream() && !link.handshake().peerChecks();
            link.window().ackIfDue(); // strict mode releases on later copies too
            link.window().repairAfterBatch(t, clock.getAsLong());
        }
        List<Arrival> ready = new ArrayList<>(passed.size() + n - tail);
        List<String> bad = new ArrayList<>(0);
        for (int i = 0; i < passed.size() && (bad.isEmpty() || !resync); i++) {
            prepare(passed.get(i), null, ready, bad);
        }
        for (int i = tail; i < n && (bad.isEmpty() || !resync); i++) {
            prepare(skimmed[i], envelopes.get(i), ready, bad);
        }
        if (!ready.isEmpty()) {
            synchronized (link) {
                if (!link.isClosed()) {
                    long now = clock.getAsLong();
                    for (Arrival a : ready) {
                        LinkReceive.handle(link, t, a, now);
                    }
                    link.window().ackIfDue();
                    link.window().repairAfterBatch(t, now);
                }
            }
        }
        for (String reason : bad) {
            garbage(t, reason, resync); // after what arrived before it: a reset must not overtake it
        }
        link.inbox().run();
    }

    /**
     * Under the lock: does, in order, what needs no parse and collects in {@code passed} what
     * does, up to the first order-sensitive or unskimmable envelope.
     *
     * @return the index of that envelope, or the batch's size
     */
    private int withoutParse(Transport t, Arrival[] skimmed, List<Arrival> passed, long now) {
        for (int i = 0; i < skimmed.length; i++) {
            Arrival a = skimmed[i];
            if (a == null || a.orderSensitive()) {
                return i;
            }
            if (!LinkReceive.withoutParse(link, t, a, now)) {
                passed.add(a);
            }
        }
        return skimmed.length;
    }

    /**
     * Parses one envelope ({@code skim}, or {@code bytes} the skim refused) into {@code ready}, or
     * adds why it is garbage to {@code bad}.
     */
    private static void prepare(Arrival skim, byte[] bytes, List<Arrival> ready, List<String> bad) {
        Arrival a = skim;
        try {
            if (a == null) {
                a = Arrival.parsed(bytes);
            }
            a.prepare();
            ready.add(a);
        } catch (InvalidProtocolBufferException e) {
            int length = skim != null ? skim.length() : bytes.length;
            bad.add("unparseable envelope of " + length + " bytes (" + e.getMessage() + ")");
        }
    }

    @Override
    public void onState(Transport t, Transport.State state, String reason) {
        synchronized (link) {
            if (!link.isClosed()) {
                LinkReceive.transportState(link, t, state, reason, clock.getAsLong());
            }
        }
        link.inbox().run();
    }

    @Override
    public void onGarbage(Transport t, String reason) {
        garbage(t, reason, t.isStream()); // a broken frame: a stream lost step
    }

    private void garbage(Transport t, String reason, boolean reset) {
        boolean failing;
        synchronized (link) {
            if (link.isClosed()) {
                return;
            }
            link.counters().garbage++;
            failing = link.paths().path(t.index()).integrity().failing();
            LinkReceive.badCopy(link, t, LinkMetrics.Bad.GARBAGE, clock.getAsLong());
        }
        if (!failing || reset) { // a failing transport's bad copies are counted, not logged
            RemoteLog.warn("resi-garbage " + link.config().id(), "peer {}: garbage on {}: {}{}", link.config().id(),
                    t.name(), RemoteLog.excerpt(reason), reset ? "; resetting the connection" : "; dropped");
        }
        if (reset) {
            t.reset("garbage envelope");
        }
        link.inbox().run();
    }
}

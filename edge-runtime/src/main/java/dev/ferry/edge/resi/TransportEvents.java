package dev.ferry.edge.resi;

import dev.ferry.edge.transport.Transport;
import java.util.function.LongSupplier;
import org.tinylog.Logger;

/**
 * A {@link PeerLink}'s transport callbacks, serialised into the link: an envelope is skimmed
 * ({@link Arrival}); a later copy of a sequenced envelope goes to the merge window as raw bytes
 * without a parse; anything else is parsed (and an RP message converted) outside the lock, then handled by {@link LinkReceive} under the link's monitor (nothing is
 * handled once the link is closed), then the listener calls that caused are run outside the
 * lock. An unparseable envelope or transport garbage is counted and logged; a stream transport
 * is then reset, a datagram dropped.
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
        Arrival a = Arrival.skim(bytes);
        if (a != null && a.isSequencedBody()) {
            boolean taken;
            synchronized (link) {
                if (link.isClosed()) {
                    return;
                }
                taken = LinkReceive.laterCopy(link, t, a);
            }
            if (taken) {
                link.runInbox();
                return;
            }
        }
        try {
            if (a == null) {
                a = Arrival.parsed(bytes);
            }
            a.prepare();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            garbage(t, "unparseable envelope of " + bytes.length + " bytes (" + e.getMessage() + ")");
            return;
        }
        synchronized (link) {
            if (!link.isClosed()) {
                LinkReceive.handle(link, t, a, clock.getAsLong());
            }
        }
        link.runInbox();
    }

    @Override
    public void onState(Transport t, Transport.State state, String reason) {
        synchronized (link) {
            if (!link.isClosed()) {
                LinkReceive.transportState(link, t, state, reason, clock.getAsLong());
            }
        }
        link.runInbox();
    }

    @Override
    public void onGarbage(Transport t, String reason) {
        garbage(t, reason);
    }

    private void garbage(Transport t, String reason) {
        synchronized (link) {
            link.counters().garbage++;
        }
        Logger.warn("peer {}: garbage on {}: {}{}", link.cfg().id(), t.name(), reason,
                t.isStream() ? "; resetting the connection" : "; dropped");
        if (t.isStream()) {
            t.reset("garbage envelope");
        }
    }
}

package dev.ferry.edge.resi;

import dev.ferry.edge.proto.resi.Envelope;
import dev.ferry.edge.transport.Transport;
import java.util.function.LongSupplier;
import org.tinylog.Logger;

/**
 * A {@link PeerLink}'s transport callbacks, serialised into the link: an envelope is parsed
 * outside the lock, then handled by {@link LinkReceive} under the link's monitor (nothing is
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
        Envelope env;
        try {
            env = Envelope.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            garbage(t, "unparseable envelope of " + bytes.length + " bytes (" + e.getMessage() + ")");
            return;
        }
        synchronized (link) {
            if (!link.isClosed()) {
                LinkReceive.handle(link, t, env, clock.getAsLong());
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

package dev.ferry.edge.resi;

import dev.ferry.edge.route.Inbound;
import dev.ferry.edge.route.Meta;
import dev.ferry.rp.Message;

/** A {@link PeerLink.Listener} that hands everything to an {@link Inbound} (the router, or a decorator). */
final class InboundListener implements PeerLink.Listener {
    private final Inbound in;

    InboundListener(Inbound in) {
        this.in = in;
    }

    @Override
    public void onMessage(PeerLink link, Message m) {
        in.message(link, m, Meta.of(link.principal()));
    }

    @Override
    public void onMessage(PeerLink link, Message m, Meta meta) {
        in.message(link, m, meta);
    }

    @Override
    public void onLiveChanged(PeerLink link, boolean up, String reason) {
        if (up) {
            in.up(link);
        } else {
            in.down(link, reason);
        }
    }
}

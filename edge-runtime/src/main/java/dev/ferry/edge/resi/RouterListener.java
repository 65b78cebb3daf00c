package dev.ferry.edge.resi;

import dev.ferry.edge.route.Inbound;
import dev.ferry.edge.route.Meta;
import dev.ferry.rp.Message;

/**
 * A peer link's listener in a running gateway: what arrives goes to the link's {@link Inbound}
 * (the router, or the shared-observations decorator in front of the link), with the cache hints
 * and freshness it came with; passed-on extensions go to the gateway's {@link ExtensionRelay} (if
 * any); the link going down or up is reported there too (the router then ends its streams).
 */
final class RouterListener implements PeerListener {
    private final Inbound in;
    private final ExtensionRelay relay;

    RouterListener(Inbound in, ExtensionRelay relay) {
        this.in = in;
        this.relay = relay;
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
    public void onExtension(PeerLink link, PassedExtension ext) {
        if (relay != null) {
            relay.received(link, ext);
        }
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

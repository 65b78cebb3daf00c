package dev.ferry.edge.resi;

import dev.ferry.edge.route.Router;
import dev.ferry.rp.Message;

/**
 * A peer link's listener in a running gateway: what arrives goes to the {@link Router}, passed-on
 * extensions to the gateway's {@link ExtensionRelay} (if any), and a link that goes down ends the
 * router's streams through it.
 */
final class RouterListener implements PeerLink.Listener {
    private final Router router;
    private final ExtensionRelay relay;

    RouterListener(Router router, ExtensionRelay relay) {
        this.router = router;
        this.relay = relay;
    }

    @Override
    public void onMessage(PeerLink link, Message m) {
        router.send(link, m);
    }

    @Override
    public void onExtension(PeerLink link, PassedExtension ext) {
        if (relay != null) {
            relay.received(link, ext);
        }
    }

    @Override
    public void onLiveChanged(PeerLink link, boolean up, String reason) {
        if (!up) {
            router.endpointDown(link.id(), reason);
        }
    }
}

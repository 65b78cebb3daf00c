package dev.ferry.edge.resi;

import dev.ferry.edge.route.Meta;
import dev.ferry.rp.Message;

/**
 * Where a {@link PeerLink} hands what arrived from its peer. Calls are serialised, in order, and
 * never made while the link's lock is held ({@link ListenerInbox}).
 */
public interface PeerListener {
    void onMessage(PeerLink link, Message m);

    /** A message that came with cache hints or freshness ({@link Meta}, RESI fields 20-24). */
    default void onMessage(PeerLink link, Message m, Meta meta) {
        onMessage(link, m);
    }

    /** An extension the link does not know and the peer marked pass = true (see {@link ExtensionRelay}). */
    default void onExtension(PeerLink link, PassedExtension ext) { }

    /** The link went up (some transport carries) or down, and why. */
    default void onLiveChanged(PeerLink link, boolean live, String reason) { }
}

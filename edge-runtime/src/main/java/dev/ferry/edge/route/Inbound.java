package dev.ferry.edge.route;

import dev.ferry.rp.Message;

/**
 * Where an endpoint hands what comes in from its own side (an MCU's messages, a peer's
 * envelopes) and says that its side went away or came back. Normally that is the router
 * ({@link Router#inbound()}: {@code send}, {@code endpointDown}); a decorator attached in the
 * endpoint's place (shared observations) takes these calls instead and passes on what is not
 * its own. Implementations never block for long: they run on a serial line's delivery thread or
 * a peer link's listener thread.
 */
public interface Inbound {
    /** A message from {@code source}'s side, in its namespace, with what travels beside it. */
    void message(Endpoint source, Message m, Meta meta);

    /** {@code source} can no longer take or produce messages (device lost, link down). */
    void down(Endpoint source, String reason);

    /** {@code source} is usable again (device attached, link up). */
    void up(Endpoint source);

    /**
     * Attaches an endpoint to the router, directly or behind a decorator, and says where the
     * endpoint's own side hands its arrivals from then on.
     */
    @FunctionalInterface
    interface Attacher {
        /** Makes {@code e} reachable by the routes naming its id; returns its {@link Inbound}. */
        Inbound attach(Endpoint e);
    }
}

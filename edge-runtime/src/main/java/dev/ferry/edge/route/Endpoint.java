package dev.ferry.edge.route;

import dev.ferry.rp.Message;
import dev.ferry.rp.Path;

/**
 * One place RP messages come from and go to: a serial device, a peer gateway, the runtime's own
 * resources, the LAN clients. The router hands an endpoint messages already rewritten into the
 * endpoint's own namespace.
 *
 * <p>{@link #deliver} never blocks: it queues the message or returns false when the endpoint's
 * bounded queue is full or it is not live, and the router then answers the sender with an ERROR.
 */
public interface Endpoint {
    /** A stable identifier such as {@code device:dev0}, {@code peer:gw-b}, {@code runtime}. */
    String id();

    /**
     * Where this endpoint's own paths appear in the host's namespace: the prefix the router puts
     * in front of the {@code from} of every message this endpoint sends, so that replies find
     * their way back. {@link Path#ROOT} means the host's own namespace (no rewriting).
     */
    Path mount();

    /** Offers a message to this endpoint; false when it cannot take it now (full or down). */
    boolean deliver(Message message);

    /**
     * Offers a message together with what travels beside it (who sent it, cache hints and
     * freshness, see {@link Meta}). Endpoints that need none of it keep the default, which
     * ignores the meta.
     */
    default boolean deliver(Message message, Meta meta) {
        return deliver(message);
    }

    /**
     * Who this endpoint speaks for when it sends without naming a principal: by default derived
     * from its id ({@link Principal#ofEndpoint}). An endpoint carrying many parties (the LAN
     * facade, one principal per client) names each one in {@link Router#send(Endpoint, Message, Meta)}.
     */
    default Principal principal() {
        return Principal.ofEndpoint(id());
    }

    /** True while the endpoint can take messages (a device attached, a peer connected). */
    default boolean live() {
        return true;
    }
}

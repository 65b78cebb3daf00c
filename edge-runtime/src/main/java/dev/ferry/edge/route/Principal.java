package dev.ferry.edge.route;

import java.util.Objects;

/**
 * Who is asking: set where a message enters the gateway (DESIGN.md 11) and carried beside it
 * through the {@link Router}, which authorizes requests by it and records it as the owner of the
 * streams they open. Immutable; equal principals are the same identity.
 *
 * @param kind what sort of party this is
 * @param name its name within the kind (a device name, a peer id, a token or certificate name);
 *             never empty
 */
public record Principal(Kind kind, String name) {
    /** The sorts of parties that send messages. */
    public enum Kind {
        /** The gateway itself (its runtime resources, the router's own cancels); always allowed. */
        RUNTIME,
        /** An MCU behind a serial line. */
        DEVICE,
        /** An authenticated peer gateway. */
        PEER,
        /** A LAN client identified by a bearer token or a client certificate. */
        CLIENT,
        /** A LAN client on the loopback interface, without credentials. */
        LOCAL,
        /** The northbound publisher (MQTT / Sparkplug). */
        NORTHBOUND
    }

    /** The gateway itself. */
    public static final Principal RUNTIME = new Principal(Kind.RUNTIME, "ferry");
    /** A loopback client without credentials. */
    public static final Principal LOCAL = new Principal(Kind.LOCAL, "loopback");

    public Principal {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a principal needs a name");
        }
    }

    public static Principal device(String name) {
        return new Principal(Kind.DEVICE, name);
    }

    public static Principal peer(String id) {
        return new Principal(Kind.PEER, id);
    }

    public static Principal client(String name) {
        return new Principal(Kind.CLIENT, name);
    }

    /**
     * The principal an endpoint speaks for by default, from its id: {@code device:x},
     * {@code peer:x}, {@code runtime}; any other id is a RUNTIME-kind principal of that name
     * (an in-process part of the gateway).
     */
    public static Principal ofEndpoint(String endpointId) {
        if (endpointId.startsWith("device:")) {
            return device(endpointId.substring(7));
        }
        if (endpointId.startsWith("peer:")) {
            return peer(endpointId.substring(5));
        }
        return endpointId.equals("runtime") ? RUNTIME : new Principal(Kind.RUNTIME, endpointId);
    }

    /** {@code kind:name} in lower case kind, for logs and runtime views. */
    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + name;
    }
}

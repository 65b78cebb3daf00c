package dev.ferry.edge.security;

import dev.ferry.edge.route.AccessPolicy;
import dev.ferry.edge.route.Principal;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The gateway's one {@link AccessPolicy} (DESIGN.md 11), built at start-up from config: it hands
 * each request to the policy for its principal's kind (peers by what this node offers them, LAN
 * clients by their scopes, the northbound publisher by its own). A kind with no policy set is
 * refused, except DEVICE (an MCU may call what the route table reaches) and RUNTIME (which the
 * router never asks about). Thread-safe once built.
 */
public final class GatewayPolicy implements AccessPolicy {
    private final Map<Principal.Kind, AccessPolicy> byKind = new EnumMap<>(Principal.Kind.class);

    public GatewayPolicy() {
        byKind.put(Principal.Kind.DEVICE, ALLOW_ALL);
        byKind.put(Principal.Kind.RUNTIME, ALLOW_ALL);
    }

    /** Sets the policy for one kind of principal (at start-up, before the router is used). */
    public synchronized GatewayPolicy set(Principal.Kind kind, AccessPolicy p) {
        byKind.put(Objects.requireNonNull(kind, "kind"), Objects.requireNonNull(p, "policy"));
        return this;
    }

    @Override
    public String refuse(Principal who, Verb verb, Path to) {
        AccessPolicy p;
        synchronized (this) {
            p = byKind.get(who.kind());
        }
        return p == null ? "no access rules for " + who.kind().name().toLowerCase(java.util.Locale.ROOT)
                + " principals" : p.refuse(who, verb, to);
    }
}

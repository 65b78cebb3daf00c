package dev.ferry.edge.security;

import dev.ferry.edge.route.AccessPolicy;
import dev.ferry.edge.route.Principal;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.util.Objects;

/**
 * The {@link GatewayPolicy} rules for LAN clients. A CLIENT principal (a bearer token or a client
 * certificate) may do what its {@link Grant} in the {@link TokenStore} says, looked up on every
 * request, so a revoked or narrowed grant applies at once, also to WebSockets already open. A
 * LOCAL principal (loopback, no credentials) may do everything when the facade admits anonymous
 * loopback clients (the default), nothing otherwise. Thread-safe, never blocks.
 */
public final class ClientPolicy {
    private ClientPolicy() { }

    /** Installs the CLIENT and LOCAL rules into {@code policy}. */
    public static void install(GatewayPolicy policy, TokenStore store, boolean anonymousLoopback) {
        Objects.requireNonNull(store, "store");
        policy.set(Principal.Kind.CLIENT, clients(store));
        policy.set(Principal.Kind.LOCAL, anonymousLoopback ? AccessPolicy.ALLOW_ALL
                : (who, verb, to) -> "loopback clients need credentials ([http] allow_anonymous_loopback = false)");
    }

    /** The CLIENT rule: the principal's scopes from {@code store}. */
    public static AccessPolicy clients(TokenStore store) {
        return (Principal who, Verb verb, Path to) -> {
            Grant g = store.byName(who.name());
            if (g == null) {
                return who.name() + " is not in the token store (revoked?)";
            }
            if (g.scopes().allows(verb, to)) {
                return null;
            }
            return who.name() + " may not " + (Scopes.isRead(verb) ? "read " : "write ") + to;
        };
    }
}

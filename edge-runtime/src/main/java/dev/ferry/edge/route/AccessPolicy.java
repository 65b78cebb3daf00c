package dev.ferry.edge.route;

import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;

/**
 * Decides whether a principal may send a request (any verb but REP/ERROR) to a path, in the host
 * namespace, after the router's route lookup and before the message is handed on. One policy per
 * gateway, built from config (tokens' scopes, peers' offers); the {@link Router} asks it once per
 * request (DESIGN.md 11). Implementations are thread-safe and never block.
 *
 * <p>The router itself allows, without asking: everything from {@link Principal.Kind#RUNTIME};
 * flow control and cancel of a stream the principal owns (it opened the exchange); and it refuses
 * those on a stream someone else owns, whatever the policy says.
 */
@FunctionalInterface
public interface AccessPolicy {
    /** Allows everything: a gateway without access rules, and tests. */
    AccessPolicy ALLOW_ALL = (who, verb, to) -> null;

    /**
     * Null to allow; otherwise the reason for refusing (sent back in an ERROR 403, never
     * containing the request's own bytes beyond the path).
     */
    String refuse(Principal who, Verb verb, Path to);
}

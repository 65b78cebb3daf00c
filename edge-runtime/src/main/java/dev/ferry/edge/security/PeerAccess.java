package dev.ferry.edge.security;

import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.route.AccessPolicy;
import dev.ferry.edge.route.Paths;
import dev.ferry.edge.route.Principal;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The {@link GatewayPolicy} rule for {@link Principal.Kind#PEER}: a peer may send a request only
 * to a path under a prefix this node offers it ({@code [[peers]] offers}, changed at run time by
 * {@code PeerLink.advertise}), any verb. Everything else is refused (the router answers ERROR 403)
 * and counted as {@code ferry_peer_denied_total{peer}}.
 *
 * <p>The gateway's own namespaces, whose paths start with {@code /#} ({@code /#runtime},
 * {@code /#peers}, {@code /#lan}, {@code /#requests}), are reachable only through an offered
 * prefix that itself starts with {@code /#}: offering {@code /} offers every device and route, not
 * the runtime. A peer that offers nothing reaches nothing (the seed's peer {@code resi}, whose
 * sections cannot say what it is offered). Replies need no rule: the router carries only the
 * replies it asked for. Thread-safe; never blocks.
 */
public final class PeerAccess implements AccessPolicy {
    private final Function<String, List<Path>> offers;
    private final Metrics metrics;

    /**
     * @param offers  the prefixes offered now to the peer with this id (empty for an unknown peer)
     * @param metrics where refusals are counted
     */
    public PeerAccess(Function<String, List<Path>> offers, Metrics metrics) {
        this.offers = Objects.requireNonNull(offers, "offers");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        metrics.describe("ferry_peer_denied_total", "Requests from a peer to a path this node does not offer it"
                + " (answered with ERROR 403)");
    }

    @Override
    public String refuse(Principal who, Verb verb, Path to) {
        if (who.kind() != Principal.Kind.PEER) {
            return "not a peer";
        }
        if (offered(offers.apply(who.name()), to)) {
            return null;
        }
        metrics.inc("ferry_peer_denied_total", "peer", who.name());
        return to + " is not offered to peer " + who.name();
    }

    /** True when a prefix in {@code offered} covers {@code to} (see the class comment for {@code /#}). */
    static boolean offered(List<Path> offered, Path to) {
        boolean own = to.toString().startsWith("/#");
        for (Path p : offered) {
            if (Paths.covers(p, to) && (!own || p.toString().startsWith("/#"))) {
                return true;
            }
        }
        return false;
    }
}

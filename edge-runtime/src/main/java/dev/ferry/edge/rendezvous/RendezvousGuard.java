package dev.ferry.edge.rendezvous;

import dev.ferry.edge.security.Grant;
import dev.ferry.edge.security.Scopes;
import dev.ferry.edge.security.TokenStore;
import io.netty.handler.ssl.SslContext;
import java.util.List;
import java.util.Objects;

/**
 * Who may do what on the {@link RendezvousService} (issue 14, point 5), and how it is reached.
 * A client on loopback may do everything (unless {@code anonymousLoopback} is off). Beyond
 * loopback a client authenticates with a bearer token from the gateway's token store, sent in the
 * messages' optional {@code token} field (RENDEZVOUS.md), or with a client certificate that the
 * store names; then
 * <ul>
 *   <li>REGISTER in a namespace needs {@code register:NS} (refused in-protocol otherwise, as other
 *       refusals are: the registrant gets the UNREGISTER of its own id);</li>
 *   <li>RENDEZVOUS and DISCOVER need {@code register:NS} or {@code discover:NS}, unless discovery is
 *       public ({@code [rendezvous] public_discovery = true}); a refused one closes the connection.</li>
 * </ul>
 *
 * @param tls                     the server TLS context (the HTTP facade's certificate), or null
 * @param tokens                  the token store
 * @param anonymousLoopback       whether loopback clients need no credentials
 * @param publicDiscovery         whether anyone may enter rendezvous and discover
 * @param maxConnectionsPerSource open connections per source address (IPv6: per /64)
 */
public record RendezvousGuard(SslContext tls, TokenStore tokens, boolean anonymousLoopback, boolean publicDiscovery,
                              int maxConnectionsPerSource) {
    public RendezvousGuard {
        Objects.requireNonNull(tokens, "tokens");
        if (maxConnectionsPerSource < 1) {
            throw new IllegalArgumentException("maxConnectionsPerSource must be positive");
        }
    }

    /** Plain TCP, no tokens: loopback clients may do everything, others nothing. */
    public static RendezvousGuard loopbackOnly() {
        return new RendezvousGuard(null, TokenStore.of(List.of()), true, false, 64);
    }

    /** What one connection may do; {@link #ALL} for a trusted (loopback) client. */
    public record Access(String name, Scopes scopes) {
        /** A trusted client: every namespace. */
        public static final Access ALL = new Access("loopback", null);
        /** An anonymous client beyond loopback. */
        public static final Access NONE = new Access("anonymous", Scopes.NONE);

        boolean mayRegister(String ns) {
            return scopes == null || scopes.mayRegister(ns);
        }

        boolean mayDiscover(String ns, boolean isPublic) {
            return isPublic || scopes == null || scopes.mayDiscover(ns);
        }

        static Access of(Grant g) {
            return new Access(g.name(), g.scopes());
        }
    }
}

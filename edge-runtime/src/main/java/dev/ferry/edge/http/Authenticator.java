package dev.ferry.edge.http;

import dev.ferry.edge.route.Principal;
import dev.ferry.edge.security.CertificateNames;
import dev.ferry.edge.security.Grant;
import dev.ferry.edge.security.Scopes;
import dev.ferry.edge.security.TokenStore;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Who is asking, for one HTTP request or WebSocket upgrade: the facade's authentication step
 * (DESIGN.md 11). In this order:
 *
 * <ol>
 *   <li>An {@code Authorization} header: {@code Bearer <token>}, or {@code Basic} with the token as
 *       the password (so a browser's own login dialog works for the status page, its fetches and
 *       its EventSource). A known token is the CLIENT principal of its name; any other header is
 *       401, even from loopback (a wrong credential is never quietly ignored).</li>
 *   <li>A client certificate verified against {@code client_ca_file} during the TLS handshake:
 *       its subject CN, then its DNS/email/URI SANs, name a {@code cert} principal of the store.
 *       A verified certificate naming nobody in the store is 403.</li>
 *   <li>Otherwise a client on a loopback address is LOCAL when anonymous loopback is allowed
 *       (the default, so the quick start needs no credentials); anyone else is 401.</li>
 * </ol>
 *
 * The result's {@link Identity#scopes()} decides the facade's own resources ({@code /metrics},
 * the status page); requests that go through the router are decided there, by the gateway's
 * policy, for the principal returned here. Thread-safe; never blocks.
 */
public final class Authenticator {
    /** The realm in challenges. */
    static final String REALM = "ferry";

    /** An authenticated party: its principal and, for a CLIENT, its grant's scopes (null = LOCAL, everything). */
    public record Identity(Principal principal, Scopes scopes) {
        /** Whether the facade's own {@code /metrics} is open to it. */
        boolean metrics() {
            return scopes == null || scopes.metrics();
        }

        /** Whether the status page's files are open to it. */
        boolean status() {
            return scopes == null || scopes.status();
        }
    }

    /**
     * The outcome: an identity, or the HTTP status (401, 403) and a short reason (safe to show to
     * the client: it never contains the credential) and a metric label.
     */
    public record Result(Identity identity, int status, String reason, String label) {
        boolean ok() {
            return identity != null;
        }

        static Result of(Identity id) {
            return new Result(id, 0, null, null);
        }

        static Result fail(int status, String reason, String label) {
            return new Result(null, status, reason, label);
        }
    }

    private final TokenStore store;
    private final boolean anonymousLoopback;

    /**
     * @param store             the grants (an empty store when no {@code tokens_file} is configured)
     * @param anonymousLoopback whether loopback clients without credentials are LOCAL
     */
    public Authenticator(TokenStore store, boolean anonymousLoopback) {
        this.store = Objects.requireNonNull(store, "store");
        this.anonymousLoopback = anonymousLoopback;
    }

    /** No tokens, anonymous loopback: what the facade does when nothing is configured. */
    public static Authenticator loopbackOnly() {
        return new Authenticator(TokenStore.of(List.of()), true);
    }

    public TokenStore store() {
        return store;
    }

    /** Whether loopback clients without credentials are LOCAL. */
    public boolean anonymousLoopback() {
        return anonymousLoopback;
    }

    /** Authenticates a request on {@code channel} carrying {@code authorization} (null if absent). */
    public Result authenticate(Channel channel, String authorization) {
        if (authorization != null) {
            String token = token(authorization);
            if (token == null) {
                return Result.fail(401, "unsupported Authorization scheme (use Bearer)", "bad_scheme");
            }
            Grant g = store.byToken(token);
            return g == null ? Result.fail(401, "unknown or revoked token", "invalid_token")
                    : Result.of(new Identity(Principal.client(g.name()), g.scopes()));
        }
        List<String> names = CertificateNames.of(channel);
        if (!names.isEmpty()) {
            Grant g = store.byCertificateName(names);
            return g == null ? Result.fail(403, "the client certificate names no principal of the token store",
                    "unknown_certificate") : Result.of(new Identity(Principal.client(g.name()), g.scopes()));
        }
        if (anonymousLoopback && loopback(channel)) {
            return Result.of(new Identity(Principal.LOCAL, null));
        }
        return Result.fail(401, "credentials required (Authorization: Bearer <token>)", "missing");
    }

    /** The token in a Bearer or Basic header value, or null for another scheme. */
    static String token(String header) {
        String h = header.strip();
        int sp = h.indexOf(' ');
        if (sp < 0) {
            return null;
        }
        String scheme = h.substring(0, sp).toLowerCase(Locale.ROOT);
        String value = h.substring(sp + 1).strip();
        if (scheme.equals("bearer")) {
            return value;
        }
        if (scheme.equals("basic")) {
            try {
                String pair = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                return colon < 0 ? null : pair.substring(colon + 1);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    static boolean loopback(Channel channel) {
        return channel.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                && a.getAddress().isLoopbackAddress();
    }
}

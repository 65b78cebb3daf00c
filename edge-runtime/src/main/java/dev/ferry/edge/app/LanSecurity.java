package dev.ferry.edge.app;

import dev.ferry.edge.config.FerryConfig;
import dev.ferry.edge.config.HttpConfig;
import dev.ferry.edge.config.RendezvousConfig;
import dev.ferry.edge.http.Authenticator;
import dev.ferry.edge.http.FacadeSecurity;
import dev.ferry.edge.rendezvous.RendezvousGuard;
import dev.ferry.edge.security.ClientPolicy;
import dev.ferry.edge.security.GatewayPolicy;
import dev.ferry.edge.security.TlsFiles;
import dev.ferry.edge.security.TokenStore;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.tinylog.Logger;

/**
 * What protects the LAN-facing listeners, loaded from the files the config names: the token
 * store, the server TLS context (HTTP facade and rendezvous listener), and the rendezvous
 * client's token and trust. Loading fails with an {@link IOException} whose message names the
 * config key and the file, so a broken file stops the start with a clear line.
 */
final class LanSecurity {
    /** How often the token store looks for changes (ferry token add/revoke apply within this). */
    static final long TOKEN_CHECK_MS = 100;

    private final FerryConfig cfg;
    private final TokenStore tokens;
    private final SslContext tls;

    private LanSecurity(FerryConfig cfg, TokenStore tokens, SslContext tls) {
        this.cfg = cfg;
        this.tokens = tokens;
        this.tls = tls;
    }

    static LanSecurity load(FerryConfig cfg) throws IOException {
        HttpConfig h = cfg.http();
        TokenStore tokens = TokenStore.of(List.of());
        if (h.tokensFile().isPresent()) {
            Path f = Path.of(h.tokensFile().get());
            tokens = keyed("http.tokens_file", () -> TokenStore.open(f, TOKEN_CHECK_MS));
            if (!Files.exists(f)) {
                Logger.warn("tokens: {} does not exist yet; no token is valid until `ferry token add` creates it", f);
            }
        }
        SslContext tls = null;
        if (h.tls()) {
            Path cert = Path.of(h.tlsCertFile().get());
            Path key = Path.of(h.tlsKeyFile().get());
            Path ca = h.clientCaFile().map(Path::of).orElse(null);
            tls = keyed("http.tls_cert_file/tls_key_file" + (ca != null ? "/client_ca_file" : ""),
                    () -> TlsFiles.server(cert, key, ca));
            warnIfExpiring(TlsFiles.certificates(cert).get(0), cert);
        }
        return new LanSecurity(cfg, tokens, tls);
    }

    /** Installs the CLIENT and LOCAL rules of the gateway's policy. */
    void install(GatewayPolicy policy) {
        ClientPolicy.install(policy, tokens, cfg.http().allowAnonymousLoopback());
    }

    FacadeSecurity facade() {
        HttpConfig h = cfg.http();
        if (h.unsafeUnauthenticatedLan()) {
            Logger.warn("http: unsafe_unauthenticated_lan = true: {} serves {} without {}; anyone who can reach it "
                    + "can read and drive every device", h.listen(), h.tls() ? "HTTPS" : "plain HTTP",
                    h.authenticates() ? "TLS" : "authentication");
        }
        return new FacadeSecurity(tls, new Authenticator(tokens, h.allowAnonymousLoopback()),
                h.maxConnectionsPerSource(), Duration.ofMillis(h.headerTimeoutMs()), Duration.ofMillis(h.bodyTimeoutMs()));
    }

    RendezvousGuard rendezvous() {
        RendezvousConfig r = cfg.rendezvous();
        if (r.unsafeUnauthenticatedLan()) {
            Logger.warn("rendezvous: unsafe_unauthenticated_lan = true: {} serves presence without {}", r.listen(),
                    r.tls() ? "authentication" : "TLS");
        }
        return new RendezvousGuard(r.tls() ? tls : null, tokens, cfg.http().allowAnonymousLoopback(),
                r.publicDiscovery(), r.maxConnectionsPerSource());
    }

    /** The token this node presents to {@code register_to}, or null. */
    String registerToken() throws IOException {
        if (cfg.rendezvous().registerTokenFile().isEmpty()) {
            return null;
        }
        Path f = Path.of(cfg.rendezvous().registerTokenFile().get());
        String t = keyed("rendezvous.register_token_file", () -> Files.readString(f, StandardCharsets.UTF_8)).strip();
        if (t.isEmpty() || t.length() > 512 || t.chars().anyMatch(c -> c <= 0x20 || c >= 0x7F)) {
            throw new IOException("rendezvous.register_token_file: " + f + " does not hold one token (ferry token add prints it)");
        }
        return t;
    }

    /** The TLS context to reach {@code register_to}, or null for plain TCP. */
    SSLContext registerTls() throws IOException {
        if (cfg.rendezvous().registerCaFile().isEmpty()) {
            return null;
        }
        Path ca = Path.of(cfg.rendezvous().registerCaFile().get());
        return keyed("rendezvous.register_ca_file", () -> TlsFiles.client(ca));
    }

    private interface Loader<T> {
        T load() throws IOException;
    }

    private static <T> T keyed(String key, Loader<T> l) throws IOException {
        try {
            return l.load();
        } catch (IOException e) {
            throw new IOException(key + ": " + e.getMessage(), e);
        }
    }

    private static void warnIfExpiring(X509Certificate c, Path file) {
        Instant end = c.getNotAfter().toInstant();
        if (end.isBefore(Instant.now())) {
            Logger.warn("http: the certificate in {} expired on {}; clients will refuse it", file, Date.from(end));
        } else if (end.isBefore(Instant.now().plus(Duration.ofDays(30)))) {
            Logger.warn("http: the certificate in {} expires on {}", file, Date.from(end));
        }
    }
}

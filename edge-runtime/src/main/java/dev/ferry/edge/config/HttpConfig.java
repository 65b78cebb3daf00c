package dev.ferry.edge.config;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code [http]}: the LAN facade (HTTP, SSE, WebSocket) and what protects it. Paths are as written
 * (relative to the working directory); the loader does not open them, start-up does.
 *
 * @param enabled                  whether the facade listens (default true)
 * @param listen                   where it listens (default 127.0.0.1:8080; port 0 = any free port)
 * @param maxConnections           open connections accepted at once, 1..65536 (default 256)
 * @param tlsCertFile              PEM certificate chain; with {@code tlsKeyFile}, HTTPS (both or neither)
 * @param tlsKeyFile               PEM PKCS#8 private key of the certificate
 * @param clientCaFile             PEM CA certificates whose client certificates authenticate (needs TLS)
 * @param tokensFile               the token store ({@code ferry token add}), read again when it changes
 * @param allowAnonymousLoopback   loopback clients without credentials may do everything (default true)
 * @param unsafeUnauthenticatedLan serve a non-loopback address without TLS and authentication
 *                                 (default false: the loader refuses such a config)
 * @param maxConnectionsPerSource  open connections per source address, 1..65536 (default 32)
 * @param headerTimeoutMs          a request's head must arrive within this, 100..600000 (default 10000)
 * @param bodyTimeoutMs            a request's body within this of its head, 100..3600000 (default 30000)
 */
public record HttpConfig(boolean enabled, HostPort listen, int maxConnections, Optional<String> tlsCertFile,
                         Optional<String> tlsKeyFile, Optional<String> clientCaFile, Optional<String> tokensFile,
                         boolean allowAnonymousLoopback, boolean unsafeUnauthenticatedLan,
                         int maxConnectionsPerSource, int headerTimeoutMs, int bodyTimeoutMs) {
    public HttpConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(tlsCertFile, "tlsCertFile");
        Objects.requireNonNull(tlsKeyFile, "tlsKeyFile");
        Objects.requireNonNull(clientCaFile, "clientCaFile");
        Objects.requireNonNull(tokensFile, "tokensFile");
        if (tlsCertFile.isPresent() != tlsKeyFile.isPresent()) {
            throw new IllegalArgumentException("tls_cert_file and tls_key_file go together");
        }
    }

    /** Plain HTTP with the default protections. */
    public HttpConfig(boolean enabled, HostPort listen, int maxConnections) {
        this(enabled, listen, maxConnections, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                true, false, 32, 10_000, 30_000);
    }

    /** Whether the facade speaks HTTPS. */
    public boolean tls() {
        return tlsCertFile.isPresent();
    }

    /** Whether LAN clients can authenticate (tokens or client certificates). */
    public boolean authenticates() {
        return tokensFile.isPresent() || clientCaFile.isPresent();
    }
}

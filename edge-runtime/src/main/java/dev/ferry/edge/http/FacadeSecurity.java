package dev.ferry.edge.http;

import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.Objects;

/**
 * What protects the {@link LanFacade} from the LAN: TLS, authentication, and the bounds an
 * attacker would try first (connections per source, deadlines for reading a request).
 *
 * @param tls                     the server TLS context, or null for plain HTTP
 * @param auth                    who is asking ({@link Authenticator})
 * @param maxConnectionsPerSource open connections per source address (IPv6: per /64); more are
 *                                closed at accept and counted
 * @param headerTimeout           a request's head must arrive within this of its first byte (or of
 *                                the connection's opening, TLS handshake included)
 * @param bodyTimeout             its body within this of its head (WebSocket: a message within this
 *                                of its first byte)
 */
public record FacadeSecurity(SslContext tls, Authenticator auth, int maxConnectionsPerSource,
                             Duration headerTimeout, Duration bodyTimeout) {
    public FacadeSecurity {
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        Objects.requireNonNull(bodyTimeout, "bodyTimeout");
        if (maxConnectionsPerSource < 1 || headerTimeout.toMillis() < 1 || bodyTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("bounds must be positive");
        }
    }

    /** Plain HTTP, anonymous loopback only, 32 connections per source, 10 s / 30 s deadlines. */
    public static FacadeSecurity defaults() {
        return new FacadeSecurity(null, Authenticator.loopbackOnly(), 32, Duration.ofSeconds(10),
                Duration.ofSeconds(30));
    }

    /** {@code https} with TLS, else {@code http}. */
    public String scheme() {
        return tls == null ? "http" : "https";
    }
}

package dev.ferry.edge.config;

import java.util.Objects;
import java.util.Optional;

/**
 * One transport of a peer ({@code [[peers.transports]]}). Exactly one of {@link #connect()} and
 * {@link #listen()} is present.
 *
 * @param kind           tcp, udp or raet (RAET-style UDP) (default tcp)
 * @param connect        remote address to connect to (port 1..65535)
 * @param listen         local address to accept on (port 0 = any)
 * @param bind           optional local address (host only) to bind outgoing connections to, so
 *                       that two transports really use two paths
 * @param reconnectMaxMs longest back-off between reconnects, 100..3600000 (default 10000)
 */
public record TransportConfig(Kind kind, Optional<HostPort> connect, Optional<HostPort> listen,
        Optional<String> bind, int reconnectMaxMs) {

    /** Transport kinds, written in lower case. */
    public enum Kind { TCP, UDP, RAET }

    public TransportConfig {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(bind, "bind");
    }
}

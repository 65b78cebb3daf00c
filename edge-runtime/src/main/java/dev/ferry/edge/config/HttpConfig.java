package dev.ferry.edge.config;

import java.util.Objects;

/**
 * {@code [http]}: the LAN facade (HTTP, SSE, WebSocket).
 *
 * @param enabled        whether the facade listens (default true)
 * @param listen         where it listens (default 127.0.0.1:8080; port 0 = any free port)
 * @param maxConnections open connections accepted at once, 1..65536 (default 256)
 */
public record HttpConfig(boolean enabled, HostPort listen, int maxConnections) {
    public HttpConfig {
        Objects.requireNonNull(listen, "listen");
    }
}

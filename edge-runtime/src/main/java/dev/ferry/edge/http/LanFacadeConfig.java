package dev.ferry.edge.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the {@link LanFacade}. Every bound is positive; the compact constructor rejects
 * anything else with {@link IllegalArgumentException}.
 *
 * @param host                    address to bind; {@code 127.0.0.1} (loopback) unless configured
 * @param port                    TCP port; 0 picks an ephemeral port (see {@link LanFacade#port()})
 * @param maxConnections          open connections at most; more are closed at once and counted
 * @param maxRequestBody          largest HTTP request body and WebSocket message, in bytes (413)
 * @param requestTimeout          backstop for a request with no first reply: the router's own
 *                                timeout (504 from {@code /#runtime/router}) should be shorter
 * @param maxStreamsPerConnection open RP streams per WebSocket, queued pipelined HTTP requests
 * @param maxQueuePerConnection   replies handed to a connection's event loop and not yet written;
 *                                a client that lets this fill is disconnected
 * @param heartbeat               SSE comment interval (and WebSocket ping when idle)
 * @param idleTimeout             an HTTP connection with nothing in progress is closed after this
 * @param ioThreads               Netty event loop threads
 */
public record LanFacadeConfig(String host, int port, int maxConnections, int maxRequestBody,
                              Duration requestTimeout, int maxStreamsPerConnection,
                              int maxQueuePerConnection, Duration heartbeat, Duration idleTimeout,
                              int ioThreads) {
    /** Loopback, the conventional default. */
    public static final String LOOPBACK = "127.0.0.1";

    public LanFacadeConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        positive("maxConnections", maxConnections);
        positive("maxRequestBody", maxRequestBody);
        positive("maxStreamsPerConnection", maxStreamsPerConnection);
        positive("maxQueuePerConnection", maxQueuePerConnection);
        positive("ioThreads", ioThreads);
        positive("requestTimeout", requestTimeout.toMillis());
        positive("heartbeat", heartbeat.toMillis());
        positive("idleTimeout", idleTimeout.toMillis());
    }

    /** The five main settings; the others take their defaults. */
    public LanFacadeConfig(String host, int port, int maxConnections, int maxRequestBody,
                           Duration requestTimeout) {
        this(host, port, maxConnections, maxRequestBody, requestTimeout, 64, 1024,
                Duration.ofSeconds(15), Duration.ofSeconds(60), 2);
    }

    /** Loopback port 8080, 256 connections, 1 MiB bodies, 10 s request timeout. */
    public static LanFacadeConfig defaults() {
        return new LanFacadeConfig(LOOPBACK, 8080, 256, 1 << 20, Duration.ofSeconds(10));
    }

    /** This config bound to another port (0 for ephemeral). */
    public LanFacadeConfig withPort(int newPort) {
        return new LanFacadeConfig(host, newPort, maxConnections, maxRequestBody, requestTimeout,
                maxStreamsPerConnection, maxQueuePerConnection, heartbeat, idleTimeout, ioThreads);
    }

    /** This config with another SSE heartbeat interval. */
    public LanFacadeConfig withHeartbeat(Duration newHeartbeat) {
        return new LanFacadeConfig(host, port, maxConnections, maxRequestBody, requestTimeout,
                maxStreamsPerConnection, maxQueuePerConnection, newHeartbeat, idleTimeout, ioThreads);
    }

    /** This config with other per-connection bounds. */
    public LanFacadeConfig withConnectionBounds(int streams, int queue) {
        return new LanFacadeConfig(host, port, maxConnections, maxRequestBody, requestTimeout,
                streams, queue, heartbeat, idleTimeout, ioThreads);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}

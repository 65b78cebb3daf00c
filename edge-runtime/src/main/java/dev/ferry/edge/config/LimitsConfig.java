package dev.ferry.edge.config;

/**
 * {@code [limits]}: bounds shared by the router and the facades. Every value is within the range
 * given here when the loader returns it.
 *
 * @param maxStreams       open streams in the router, 1..1048576 (default 1024)
 * @param deviceQueue      messages queued per device, 1..65536 (default 64)
 * @param maxMessage       largest RP message in bytes, 256..1048576 (default 16384)
 * @param requestTimeoutMs time a request waits for its first reply, 1..3600000 (default 5000)
 * @param maxRequestBody   largest HTTP request body in bytes, 1..67108864 (default 1048576)
 */
public record LimitsConfig(int maxStreams, int deviceQueue, int maxMessage, int requestTimeoutMs,
        int maxRequestBody) {
}

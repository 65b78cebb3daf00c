package dev.ferry.serial.link;

/**
 * Settings of the host side of one link. All bounds are explicit.
 *
 * @param address the secondary's address, 1..254
 * @param params the host's maximum link parameters, offered in SNRM
 * @param queueCapacity most messages waiting to be sent (offer fails beyond it)
 * @param maxMessageSize largest message accepted from the station (PROTOCOL.md 4; host default 16384)
 * @param maxHeader largest header accepted (host default 1024)
 * @param maxTimeouts consecutive failed turns after which the station is marked down
 * @param reprobeMinNanos first re-probe delay after being marked down (doubles up to the max)
 * @param reprobeMaxNanos largest re-probe delay
 */
public record PrimaryConfig(int address, LinkParams params, int queueCapacity, int maxMessageSize,
                            int maxHeader, int maxTimeouts, long reprobeMinNanos, long reprobeMaxNanos) {
    public static final int DEFAULT_MAX_MESSAGE = 16384;

    /** @throws IllegalArgumentException on an out-of-range value */
    public PrimaryConfig {
        if (address < 1 || address > 254) {
            throw new IllegalArgumentException("station address must be 1..254: " + address);
        }
        if (queueCapacity < 1 || maxMessageSize < 1 || maxHeader < 8 || maxTimeouts < 1) {
            throw new IllegalArgumentException("queue, message, header and timeout bounds must be positive");
        }
        if (reprobeMinNanos <= 0 || reprobeMaxNanos < reprobeMinNanos) {
            throw new IllegalArgumentException("need 0 < reprobeMin <= reprobeMax");
        }
    }

    /** Defaults: 32 queued messages, 16384-byte messages, 1024-byte headers, 3 timeouts, 1..60 s. */
    public static PrimaryConfig of(int address, LinkParams params) {
        return new PrimaryConfig(address, params, 32, DEFAULT_MAX_MESSAGE, 1024, 3,
                1_000_000_000L, 60_000_000_000L);
    }

    public PrimaryConfig withQueueCapacity(int n) {
        return new PrimaryConfig(address, params, n, maxMessageSize, maxHeader, maxTimeouts, reprobeMinNanos, reprobeMaxNanos);
    }

    public PrimaryConfig withMaxMessageSize(int n) {
        return new PrimaryConfig(address, params, queueCapacity, n, maxHeader, maxTimeouts, reprobeMinNanos, reprobeMaxNanos);
    }

    public PrimaryConfig withTimeouts(int max, long reprobeMin, long reprobeMax) {
        return new PrimaryConfig(address, params, queueCapacity, maxMessageSize, maxHeader, max, reprobeMin, reprobeMax);
    }
}

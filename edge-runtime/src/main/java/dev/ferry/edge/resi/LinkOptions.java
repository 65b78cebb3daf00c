package dev.ferry.edge.resi;

import java.util.List;

/**
 * Peer-link settings that are not in the configuration file (sizes and timers with sensible
 * defaults; tests and benchmarks change them).
 *
 * @param datagramSize      largest UDP datagram sent; longer envelopes are segmented (default 1400)
 * @param maxEnvelope       longest envelope accepted on any transport (default 256 KiB)
 * @param maxQueuedBytes    bytes queued per transport before send() refuses (default 8 MiB)
 * @param tickMillis        housekeeping period (pings, acks, timeouts); 0 = ping interval / 4,
 *                          clamped to 5..50 ms
 * @param ackEvery          deliveries after which an explicit ack is sent at once (default 16)
 * @param ackTimeoutMillis  no ack progress for this long ⇒ unacknowledged envelopes are resent
 *                          (at least 4 × the measured RTT; default 100)
 * @param versionMajor      protocol version announced (tests use another one to provoke refusal)
 * @param versionMinor      minor version announced
 * @param extensions        extension ids announced in the handshake and handled here
 */
public record LinkOptions(int datagramSize, int maxEnvelope, long maxQueuedBytes, int tickMillis,
        int ackEvery, int ackTimeoutMillis, int versionMajor, int versionMinor, List<Integer> extensions) {

    /** Extension id of RESI's redundant transports (answered with a ModifyResponse). */
    public static final int EXT_REDUNDANT_TRANSPORTS = 1;
    /** Extension id of the envelope integrity check ({@code Envelope.crc}, see {@link EnvelopeCheck}). */
    public static final int EXT_ENVELOPE_CHECK = EnvelopeCheck.EXTENSION;

    public LinkOptions {
        extensions = List.copyOf(extensions);
        if (datagramSize < 64 || maxEnvelope < 64 || maxQueuedBytes < maxEnvelope || ackEvery < 1
                || ackTimeoutMillis < 1 || tickMillis < 0) {
            throw new IllegalArgumentException("bad link options " + this);
        }
    }

    public static LinkOptions defaults() {
        return new LinkOptions(1400, 256 * 1024, 8L << 20, 0, 16, 100, ResiCodec.VERSION_MAJOR,
                ResiCodec.VERSION_MINOR, List.of(EXT_REDUNDANT_TRANSPORTS, EXT_ENVELOPE_CHECK));
    }

    /** With {@code ids} announced and handled (tests announce none to play an older peer). */
    public LinkOptions withExtensions(List<Integer> ids) {
        return new LinkOptions(datagramSize, maxEnvelope, maxQueuedBytes, tickMillis, ackEvery, ackTimeoutMillis,
                versionMajor, versionMinor, ids);
    }

    public LinkOptions withDatagramSize(int size) {
        return new LinkOptions(size, maxEnvelope, maxQueuedBytes, tickMillis, ackEvery, ackTimeoutMillis,
                versionMajor, versionMinor, extensions);
    }

    public LinkOptions withTickMillis(int ms) {
        return new LinkOptions(datagramSize, maxEnvelope, maxQueuedBytes, ms, ackEvery, ackTimeoutMillis,
                versionMajor, versionMinor, extensions);
    }

    public LinkOptions withAckTimeoutMillis(int ms) {
        return new LinkOptions(datagramSize, maxEnvelope, maxQueuedBytes, tickMillis, ackEvery, ms,
                versionMajor, versionMinor, extensions);
    }

    public LinkOptions withVersion(int major, int minor) {
        return new LinkOptions(datagramSize, maxEnvelope, maxQueuedBytes, tickMillis, ackEvery, ackTimeoutMillis,
                major, minor, extensions);
    }

    /** The housekeeping period for a given ping interval. */
    long tickMillisFor(int pingIntervalMs) {
        return tickMillis > 0 ? tickMillis : Math.max(5, Math.min(50, pingIntervalMs / 4));
    }
}

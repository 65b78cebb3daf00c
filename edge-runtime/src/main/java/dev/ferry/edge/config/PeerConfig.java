package dev.ferry.edge.config;

import java.util.List;
import java.util.Objects;

/**
 * One RESI peer gateway ({@code [[peers]]}, or the peer {@code resi} built from the seed's
 * {@code [Tcp]}/{@code [Resi]} sections). Ids are unique; there is at least one transport.
 *
 * @param id                 peer node id, also used in routes as {@code peer:<id>}
 * @param mode               how copies from several transports are merged (default permissive;
 *                           strict for the seed's peer, as the seed says)
 * @param handshakeTimeoutMs 100..600000 (default 5000)
 * @param pingIntervalMs     10..600000 (default 1000)
 * @param deadAfterPings     missed pongs before a transport is dead, 1..100 (default 3)
 * @param resendBuffer       unacknowledged envelopes kept for resending, 1..1048576 (default 16384; also bounded to 8 MiB)
 * @param dupWindow          sequence numbers remembered for duplicate suppression, 16..1048576 (default 32768)
 * @param offers             RP path prefixes this node offers the peer (default none)
 * @param wants              RP path prefixes this node wants from the peer (default none)
 * @param transports         the peer's transports, at least one
 * @param maxBadCopies       envelopes failing their integrity check before a transport leaves the
 *                           live set (and good ones in a row before it rejoins), 1..100000 (default 8)
 * @param resendRate         envelopes resent per second at most, on request or after an ack
 *                           timeout, 1..1048576 (default 4096)
 */
public record PeerConfig(String id, Mode mode, int handshakeTimeoutMs, int pingIntervalMs,
        int deadAfterPings, int resendBuffer, int dupWindow, List<String> offers, List<String> wants,
        List<TransportConfig> transports, int maxBadCopies, int resendRate) {

    /** Default of {@code max_bad_copies}. */
    public static final int MAX_BAD_COPIES = 8;
    /** Default of {@code resend_rate}. */
    public static final int RESEND_RATE = 4096;

    /** RESI merge modes, written in lower case. */
    public enum Mode { PERMISSIVE, STRICT }

    /** Id of the peer made from the seed's {@code [Tcp]} section. */
    public static final String SEED_PEER_ID = "resi";

    public PeerConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(mode, "mode");
        offers = List.copyOf(offers);
        wants = List.copyOf(wants);
        transports = List.copyOf(transports);
        if (maxBadCopies < 1 || resendRate < 1) {
            throw new IllegalArgumentException("max_bad_copies and resend_rate must be positive");
        }
    }

    /** A peer with the defaults of {@code max_bad_copies} and {@code resend_rate}. */
    public PeerConfig(String id, Mode mode, int handshakeTimeoutMs, int pingIntervalMs, int deadAfterPings,
                      int resendBuffer, int dupWindow, List<String> offers, List<String> wants,
                      List<TransportConfig> transports) {
        this(id, mode, handshakeTimeoutMs, pingIntervalMs, deadAfterPings, resendBuffer, dupWindow, offers, wants,
                transports, MAX_BAD_COPIES, RESEND_RATE);
    }
}

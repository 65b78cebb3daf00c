package dev.ferry.edge.raet;

import java.util.Locale;

/**
 * Why a received datagram was dropped. Every drop is counted under
 * {@code ferry_raet_dropped_total{...,reason="<label()>"}}; none reaches the upper layer. Security
 * drops ({@link #isSecurity()}) are also logged (rate-limited).
 */
public enum Drop {
    /** No CRLFCRLF within the header bound. */
    NO_TERMINATOR,
    /** Header longer than {@link HeaderCodec#MAX_HEADER}. */
    HEADER_TOO_LONG,
    /** Header byte outside printable ASCII. */
    NOT_ASCII,
    /** Not a flat JSON object in the canonical form. */
    BAD_SYNTAX,
    /** A field name outside the RAET vocabulary. */
    UNKNOWN_FIELD,
    /** The same field twice. */
    DUPLICATE_FIELD,
    /** A number where a string belongs or the other way round. */
    BAD_TYPE,
    /** A value outside its range, or kinds/lengths that do not agree. */
    BAD_VALUE,
    /** A required field is missing. */
    MISSING_FIELD,
    /** hl + nl + bl + tl is not the datagram length. */
    LENGTH_MISMATCH,
    /** Valid but not implemented here (multicast, another version). */
    UNSUPPORTED,
    /** Open mode: CRC-32C tail does not match. */
    BAD_CHECKSUM,
    /** Ed25519 signature does not verify. */
    BAD_SIGNATURE,
    /** AEAD tag does not verify (forged, corrupted or wrong key). */
    BAD_TAG,
    /** Counter already seen or older than the window; join older than the last one. */
    REPLAY,
    /** Public key not among the trusted keys. */
    UNKNOWN_KEY,
    /** Session id is not the current one. */
    UNKNOWN_SESSION,
    /** Destination device id is not ours. */
    WRONG_DESTINATION,
    /** Packet protection does not match the configured security mode. */
    WRONG_MODE,
    /** A bounded table is full; the sender will retry. */
    TABLE_FULL,
    /** Segment count beyond the configured bound, or a segment outside its message. */
    TOO_MANY_SEGMENTS,
    /** Body malformed for its packet kind. */
    BAD_BODY,
    /** JOIN's AEAD suite list malformed or oversized, or ACCEPT names a suite that was not offered. */
    BAD_SUITE_LIST,
    /** JOIN offers no AEAD suite this acceptor allows (answered with REFUSE). */
    NO_COMMON_SUITE,
    /** Well-formed but not expected now (e.g. data before a session, from a stranger). */
    UNEXPECTED;

    /** Lower-case label used in counter names. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for drops that mean someone may be attacking (logged at warn). */
    public boolean isSecurity() {
        return this == BAD_SIGNATURE || this == BAD_TAG || this == REPLAY || this == UNKNOWN_KEY
                || this == WRONG_MODE || this == BAD_CHECKSUM;
    }
}

package dev.ferry.rp;

/**
 * Every way a peer's bytes can be rejected, across all RP/serial layers (PROTOCOL.md 2.3, 4, 5).
 * Decoders never throw on bad input; they return one of these inside a {@link Decoded} and count it.
 */
public enum DecodeError {
    /** Frame: more than W(N) - 1 encoded bytes before the delimiter. */
    OVERLONG,
    /** Frame: COBS code blocks do not fit the received bytes. */
    BAD_COBS,
    /** Frame: fewer than 4 decoded bytes. */
    RUNT,
    /** Frame: CRC trailer does not match. */
    BAD_CRC,
    /** Segment: out-of-order or missing segment. */
    SEGMENT_GAP,
    /** Segment: reassembled message would exceed the maximum message size. */
    TOO_LARGE,
    /** Message: malformed header (includes empty messages and over-long headers). */
    BAD_HEADER,
    /** Message: the verb is not one of {@link Verb}. */
    UNKNOWN_VERB,
    /** Message: a path violates PROTOCOL.md 5.2 (a kind of BAD_HEADER). */
    BAD_PATH
}

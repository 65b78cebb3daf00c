package dev.ferry.edge.raet;

/** The seed's four service kinds, with their header code {@code sk}. */
public enum ServiceKind {
    /** A: maybe one or more (fire and forget, repeated). */
    MAYBE(0),
    /** B: exactly one, at most once (ack, retries, receiver duplicate detection). */
    ONCE(1),
    /** C: one of sequence (ordered, escrow, resend requests, segmentation). */
    SEQUENCE(2),
    /** D: end to end (request and response, two B sub-transactions, one transaction id). */
    END_TO_END(3);

    private final int code;

    ServiceKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The kind for a code, or null. */
    public static ServiceKind of(int code) {
        return code >= 0 && code < 4 ? values()[code] : null;
    }
}

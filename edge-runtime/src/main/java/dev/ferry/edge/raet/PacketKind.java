package dev.ferry.edge.raet;

/** Packet kinds ({@code pk}); RAET.md section 3. */
public enum PacketKind {
    /** Application data (a whole message or one segment). */
    MESSAGE(0),
    /** Acknowledgement (kinds B, D: one transaction; C: cumulative order index plus progress). */
    ACK(1),
    /** Kind C: status with missing segments the sender must resend. */
    RESEND(2),
    /** Bootstrap: joiner's request, session id 0, carries its keys. */
    JOIN(3),
    /** Bootstrap: the acceptor received a join. */
    JOIN_ACK(4),
    /** Bootstrap: the acceptor accepts; carries the new session id and its keys. */
    ACCEPT(5),
    /** The session named is unknown here: rejoin. */
    REFUSE(6);

    private final int code;

    PacketKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The kind for a code, or null. */
    public static PacketKind of(int code) {
        return code >= 0 && code < 7 ? values()[code] : null;
    }
}

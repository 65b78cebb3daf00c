package dev.ferry.edge.observe;

import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.util.concurrent.TimeUnit;

/**
 * A value as the gateway last saw it: the REP's status, body type and body, and when it was
 * taken ({@code System.nanoTime()} scale, already aged by what its sender said). Immutable; the
 * body array is never handed out (messages built from it copy it).
 */
final class LastValue {
    private final int status;
    private final BodyType type;
    private final byte[] body;
    private final long takenNanos;
    private final boolean beforeOutage;

    private LastValue(int status, BodyType type, byte[] body, long takenNanos, boolean beforeOutage) {
        this.status = status;
        this.type = type;
        this.body = body;
        this.takenNanos = takenNanos;
        this.beforeOutage = beforeOutage;
    }

    /** The value {@code m} (a REP) carries, taken {@code ageMs} (0 if unknown) before {@code now}. */
    static LastValue of(Message m, long now, long ageMs) {
        return new LastValue(m.status(), m.bodyType().orElse(null), m.body(),
                now - TimeUnit.MILLISECONDS.toNanos(Math.max(0, ageMs)), false);
    }

    /**
     * This value, known to predate an outage of its endpoint: whatever its age, it is not the
     * device's current state (the device may have restarted), so it is served only as stale.
     */
    LastValue beforeOutage() {
        return beforeOutage ? this : new LastValue(status, type, body, takenNanos, true);
    }

    /** True when the value was seen before its endpoint's latest outage ({@link #beforeOutage()}). */
    boolean stale() {
        return beforeOutage;
    }

    /** How old the value is at {@code now}, in whole milliseconds (never negative). */
    long ageMs(long now) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(now - takenNanos));
    }

    /** A REP carrying this value. */
    Message reply(Path to, Path from, boolean eof) {
        Message.Builder b = Message.builder(Verb.REP, to, from).eof(eof).status(status);
        if (body.length > 0) {
            b.body(type, body);
        }
        return b.build();
    }

    int bodyLength() {
        return body.length;
    }
}

package dev.ferry.rp;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One RP message (PROTOCOL.md 5): verb, {@code to}, {@code from}, end-of-stream flag, optional flow
 * hint, status (REP/ERROR only), body type and body. Immutable: the body is copied on the way in
 * and on the way out. Invariants callers may rely on: flow is absent or 0..100; status is 100..999
 * on REP/ERROR (defaults filled in) and 0 on other verbs; the body type is present exactly when the
 * body is non-empty (defaulting to {@link BodyType#OCTETS}).
 */
public final class Message {
    private static final byte[] EMPTY = new byte[0];

    private final Verb verb;
    private final Path to;
    private final Path from;
    private final boolean eof;
    private final int flow;
    private final int status;
    private final BodyType bodyType;
    private final byte[] body;

    private Message(Builder b) {
        this.verb = Objects.requireNonNull(b.verb, "verb");
        this.to = Objects.requireNonNull(b.to, "to");
        this.from = Objects.requireNonNull(b.from, "from");
        this.eof = b.eof;
        if (b.flow < -1 || b.flow > 100) {
            throw new IllegalArgumentException("flow must be 0..100: " + b.flow);
        }
        this.flow = b.flow;
        if (b.status != 0 && !verb.hasStatus()) {
            throw new IllegalArgumentException("status only on REP/ERROR, not " + verb);
        }
        if (b.status != 0 && (b.status < 100 || b.status > 999)) {
            throw new IllegalArgumentException("status must be 100..999: " + b.status);
        }
        this.status = b.status != 0 ? b.status : verb.defaultStatus();
        this.body = b.body;
        this.bodyType = body.length == 0 ? null : b.bodyType != null ? b.bodyType : BodyType.OCTETS;
    }

    /** A builder for a message with the given verb and paths; eof defaults to true. */
    public static Builder builder(Verb verb, Path to, Path from) {
        return new Builder(verb, to, from);
    }

    public Verb verb() {
        return verb;
    }

    public Path to() {
        return to;
    }

    public Path from() {
        return from;
    }

    /** End of stream (header E, default true). */
    public boolean eof() {
        return eof;
    }

    /** Flow hint 0..100, or empty when absent. */
    public OptionalInt flow() {
        return flow < 0 ? OptionalInt.empty() : OptionalInt.of(flow);
    }

    /** The status on REP/ERROR (default 200/500), 0 on other verbs. */
    public int status() {
        return status;
    }

    /** The body type; present exactly when the body is non-empty. */
    public Optional<BodyType> bodyType() {
        return Optional.ofNullable(bodyType);
    }

    /** A copy of the body (empty array when there is none). */
    public byte[] body() {
        return body.length == 0 ? EMPTY : body.clone();
    }

    public int bodyLength() {
        return body.length;
    }

    /** This message with other {@code to} and {@code from} paths (everything else equal). */
    public Message readdressed(Path newTo, Path newFrom) {
        Builder b = new Builder(verb, newTo, newFrom).eof(eof).flow(flow);
        if (verb.hasStatus()) {
            b.status(status);
        }
        return body.length == 0 ? b.build() : b.body(bodyType, body).build();
    }

    /** A builder pre-filled with this message's fields. */
    public Builder toBuilder() {
        Builder b = new Builder(verb, to, from).eof(eof).flow(flow);
        if (verb.hasStatus()) {
            b.status(status);
        }
        return body.length == 0 ? b : b.body(bodyType, body);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && m.verb == verb && m.to.equals(to) && m.from.equals(from)
                && m.eof == eof && m.flow == flow && m.status == status
                && Objects.equals(m.bodyType, bodyType) && Arrays.equals(m.body, body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(verb, to, from, eof, flow, status, bodyType, Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return verb + " " + to + " from " + from + (eof ? "" : " E0") + (flow >= 0 ? " F" + flow : "")
                + (verb.hasStatus() ? " S" + status : "")
                + (body.length > 0 ? " T" + bodyType + " L" + body.length : "");
    }

    /** Mutable builder; {@link #build()} validates and throws IllegalArgumentException on misuse. */
    public static final class Builder {
        private final Verb verb;
        private final Path to;
        private final Path from;
        private boolean eof = true;
        private int flow = -1;
        private int status;
        private BodyType bodyType;
        private byte[] body = EMPTY;

        private Builder(Verb verb, Path to, Path from) {
            this.verb = verb;
            this.to = to;
            this.from = from;
        }

        public Builder eof(boolean eof) {
            this.eof = eof;
            return this;
        }

        /** Flow hint 0..100, or -1 for none. */
        public Builder flow(int flow) {
            this.flow = flow;
            return this;
        }

        /** Status 100..999 (REP/ERROR only); 0 means the verb's default. */
        public Builder status(int status) {
            this.status = status;
            return this;
        }

        /**
         * Sets the body (copied); a null type means the default {@link BodyType#OCTETS}. An empty
         * body has no type, so the type is dropped then.
         */
        public Builder body(BodyType type, byte[] body) {
            this.bodyType = body.length == 0 ? null : type;
            this.body = body.length == 0 ? EMPTY : body.clone();
            return this;
        }

        public Message build() {
            return new Message(this);
        }
    }
}

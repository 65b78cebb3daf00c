package dev.ferry.edge.resi;

import com.google.protobuf.ByteString;
import dev.ferry.edge.proto.resi.RpMessage;
import dev.ferry.edge.route.Meta;
import dev.ferry.edge.route.Principal;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Decoded;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;

/**
 * RP messages to and from their RESI wire form ({@code resi.proto}). Stateless. (Strict mode
 * compares copies on their raw bytes: {@link Arrival#sameContent}.)
 */
public final class ResiCodec {
    /** Protocol version spoken by this build; peers with another major version are refused. */
    public static final int VERSION_MAJOR = 1;
    public static final int VERSION_MINOR = 0;

    /** Paths recently parsed from the wire: a stream's to/from repeat in every message. */
    private static final PathCache PATHS = new PathCache(256);

    private ResiCodec() { }

    /** The wire form of {@code m} with what {@code meta} says about caching and freshness. */
    public static RpMessage toProto(Message m, Meta meta) {
        if (!meta.hasCacheHints() && !meta.hasFreshness()) {
            return toProto(m);
        }
        RpMessage.Builder b = toProto(m).toBuilder();
        if (meta.maxAgeMs() >= 0) {
            b.setMaxAgeMs(meta.maxAgeMs());
        }
        if (meta.ageMs() >= 0) {
            b.setAgeMs(meta.ageMs());
        }
        return b.setAcceptStale(meta.acceptStale()).setCached(meta.cached()).setStale(meta.stale()).build();
    }

    /**
     * The {@link Meta} that arrived with {@code p}, naming {@code who} (the peer, as this link
     * knows it); null when {@code p} carries no cache hints or freshness (the common case).
     * Values beyond {@link #MAX_AGE_MS} are read as that.
     */
    public static Meta meta(RpMessage p, Principal who) {
        if (!p.hasMaxAgeMs() && !p.hasAgeMs() && !p.getAcceptStale() && !p.getCached() && !p.getStale()) {
            return null;
        }
        long maxAge = p.hasMaxAgeMs() ? clamp(p.getMaxAgeMs()) : -1;
        long age = p.hasAgeMs() ? clamp(p.getAgeMs()) : -1;
        return new Meta(who, maxAge, p.getAcceptStale(), age, p.getCached(), p.getStale());
    }

    /** The largest age or max-age taken from the wire: about 3 years, in ms. */
    static final long MAX_AGE_MS = 1L << 36;

    private static long clamp(long wire) {
        return wire < 0 || wire > MAX_AGE_MS ? MAX_AGE_MS : wire;  // uint64 above 2^63 reads negative
    }

    /** The wire form of {@code m}. */
    public static RpMessage toProto(Message m) {
        RpMessage.Builder b = RpMessage.newBuilder()
                .setVerb(dev.ferry.edge.proto.resi.Verb.forNumber(m.verb().ordinal() + 1))
                .setTo(m.to().toString())
                .setFrom(m.from().toString())
                .setEof(m.eof());
        m.flow().ifPresent(b::setFlow);
        if (m.verb().hasStatus()) {
            b.setStatus(m.status());
        }
        if (m.bodyLength() > 0) {
            b.setBodyType(m.bodyType().orElse(BodyType.OCTETS).token());
            b.setBody(ByteString.copyFrom(m.body()));
        }
        return b.build();
    }

    /**
     * The RP message in {@code p}.
     *
     * @throws IllegalArgumentException naming what is wrong (bad verb, path, body type, status)
     */
    public static Message fromProto(RpMessage p) {
        int v = p.getVerbValue();
        if (v < 1 || v > Verb.values().length) {
            throw new IllegalArgumentException("bad verb " + v);
        }
        Verb verb = Verb.values()[v - 1];
        Message.Builder b = Message.builder(verb, path("to", p.getTo()), path("from", p.getFrom()))
                .eof(p.getEof());
        if (p.hasFlow()) {
            b.flow(p.getFlow());
        }
        if (verb.hasStatus()) {
            b.status(p.getStatus());
        }
        if (!p.getBody().isEmpty()) {
            BodyType type = p.getBodyType().isEmpty() ? BodyType.OCTETS : BodyType.of(p.getBodyType());
            b.body(type, p.getBody().toByteArray());
        }
        return b.build();
    }

    private static Path path(String field, String text) {
        Path p = PATHS.get(text);
        if (p != null) {
            return p;
        }
        Decoded<Path> d = Path.parse(text);
        if (!d.isOk()) {
            throw new IllegalArgumentException("bad " + field + " path");
        }
        PATHS.put(text, d.value());
        return d.value();
    }
}

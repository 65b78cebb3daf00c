package dev.ferry.edge.resi;

import com.google.protobuf.ByteString;
import dev.ferry.edge.proto.resi.RpMessage;
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

package dev.ferry.edge.resi;

import dev.ferry.edge.proto.resi.Envelope;
import dev.ferry.edge.proto.resi.Extension;
import dev.ferry.edge.proto.resi.Handshake;
import dev.ferry.edge.proto.resi.Interests;
import dev.ferry.edge.proto.resi.Intents;
import dev.ferry.edge.proto.resi.Modify;
import dev.ferry.edge.proto.resi.ModifyRequest;
import dev.ferry.edge.proto.resi.ModifyResponse;
import dev.ferry.edge.proto.resi.Ping;
import dev.ferry.edge.proto.resi.Pong;
import dev.ferry.edge.proto.resi.Result;
import java.util.List;

/**
 * Builders for the unsequenced control envelopes of a peer link, each sealed with its integrity
 * check ({@link EnvelopeCheck}), and for the bodies of Modify envelopes. Stateless.
 */
public final class Envelopes {
    private Envelopes() { }

    /** A handshake; {@code reply} asks the peer to answer with its own. */
    public static byte[] handshake(int major, int minor, String nodeId, List<Integer> extensions,
                                   List<String> offers, List<String> wants, long prefixesVersion, long session,
                                   long firstSeq, boolean reply, long ack) {
        Handshake hs = Handshake.newBuilder().setVersionMajor(major).setVersionMinor(minor)
                .setNodeId(nodeId).addAllExtensions(extensions).addAllOffers(offers).addAllWants(wants)
                .setPrefixesVersion(prefixesVersion).setSession(session).setFirstSeq(firstSeq).setReply(reply)
                .build();
        return sealed(Envelope.newBuilder().setAck(ack).setHandshake(hs));
    }

    public static byte[] ping(int transportId, long nonce, long sentAt) {
        return sealed(Envelope.newBuilder().setPing(Ping.newBuilder().setTransportId(transportId).setNonce(nonce)
                .setSentTimeNanos(sentAt)));
    }

    public static byte[] pong(Ping p, long ack) {
        return sealed(Envelope.newBuilder().setAck(ack).setPong(Pong.newBuilder().setTransportId(p.getTransportId())
                .setNonce(p.getNonce()).setSentTimeNanos(p.getSentTimeNanos())));
    }

    public static byte[] result(Result.Code code, String reason, long inReplyTo) {
        return sealed(Envelope.newBuilder().setResult(Result.newBuilder().setCode(code).setReason(reason)
                .setInReplyTo(inReplyTo)));
    }

    /** The whole list of prefixes we offer, version {@code version}. */
    public static byte[] intents(List<String> prefixes, long version) {
        return sealed(Envelope.newBuilder().setIntents(Intents.newBuilder().addAllPrefixes(prefixes)
                .setVersion(version)));
    }

    /** The whole list of prefixes we want, version {@code version}. */
    public static byte[] interests(List<String> prefixes, long version) {
        return sealed(Envelope.newBuilder().setInterests(Interests.newBuilder().addAllPrefixes(prefixes)
                .setVersion(version)));
    }

    /** A bare cumulative acknowledgement. */
    public static byte[] ack(long ack) {
        return sealed(Envelope.newBuilder().setAck(ack));
    }

    /** A RESEND request for {@code seq} on the transport it is sent on only. */
    public static byte[] resendHere(long seq, String reason) {
        return sealed(Envelope.newBuilder().setResult(Result.newBuilder().setCode(Result.Code.RESEND)
                .setReason(reason).setInReplyTo(seq).setHere(true)));
    }

    public static Modify request(Extension ext) {
        return Modify.newBuilder().setRequest(ModifyRequest.newBuilder().setExt(ext)).build();
    }

    /** A request passed on: {@code origin} and {@code originSeq} name it, {@code hops} counts the relays. */
    public static Modify request(Extension ext, String origin, long originSeq, int hops) {
        return Modify.newBuilder().setRequest(ModifyRequest.newBuilder().setExt(ext).setOrigin(origin)
                .setOriginSeq(originSeq).setHops(hops)).build();
    }

    public static Modify response(Extension ext) {
        return Modify.newBuilder().setResponse(ModifyResponse.newBuilder().setExt(ext)).build();
    }

    private static byte[] sealed(Envelope.Builder b) {
        return EnvelopeCheck.seal(b.build().toByteArray());
    }
}

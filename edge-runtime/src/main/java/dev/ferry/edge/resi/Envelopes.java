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

/** Builders for the unsequenced control envelopes of a peer link. Stateless. */
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
        return Envelope.newBuilder().setAck(ack).setHandshake(hs).build().toByteArray();
    }

    public static byte[] ping(int transportId, long nonce, long sentAt) {
        return Envelope.newBuilder().setPing(Ping.newBuilder().setTransportId(transportId).setNonce(nonce)
                .setSentTimeNanos(sentAt)).build().toByteArray();
    }

    public static byte[] pong(Ping p, long ack) {
        return Envelope.newBuilder().setAck(ack).setPong(Pong.newBuilder().setTransportId(p.getTransportId())
                .setNonce(p.getNonce()).setSentTimeNanos(p.getSentTimeNanos())).build().toByteArray();
    }

    public static byte[] result(Result.Code code, String reason, long inReplyTo) {
        return Envelope.newBuilder().setResult(Result.newBuilder().setCode(code).setReason(reason)
                .setInReplyTo(inReplyTo)).build().toByteArray();
    }

    /** The whole list of prefixes we offer, version {@code version}. */
    public static byte[] intents(List<String> prefixes, long version) {
        return Envelope.newBuilder().setIntents(Intents.newBuilder().addAllPrefixes(prefixes).setVersion(version))
                .build().toByteArray();
    }

    /** The whole list of prefixes we want, version {@code version}. */
    public static byte[] interests(List<String> prefixes, long version) {
        return Envelope.newBuilder().setInterests(Interests.newBuilder().addAllPrefixes(prefixes)
                .setVersion(version)).build().toByteArray();
    }

    /** A bare cumulative acknowledgement. */
    public static byte[] ack(long ack) {
        return Envelope.newBuilder().setAck(ack).build().toByteArray();
    }

    public static Modify request(Extension ext) {
        return Modify.newBuilder().setRequest(ModifyRequest.newBuilder().setExt(ext)).build();
    }

    public static Modify response(Extension ext) {
        return Modify.newBuilder().setResponse(ModifyResponse.newBuilder().setExt(ext)).build();
    }
}

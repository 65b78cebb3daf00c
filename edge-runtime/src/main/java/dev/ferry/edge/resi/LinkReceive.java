package dev.ferry.edge.resi;

import dev.ferry.edge.proto.resi.Envelope;
import dev.ferry.edge.proto.resi.Extension;
import dev.ferry.edge.proto.resi.Handshake;
import dev.ferry.edge.proto.resi.Modify;
import dev.ferry.edge.proto.resi.Result;
import dev.ferry.edge.transport.Transport;
import dev.ferry.rp.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * What a {@link PeerLink} does with each arriving envelope, transport event and tick. Every
 * method runs under the link's monitor; listener calls are posted, not made.
 */
final class LinkReceive {
    private LinkReceive() { }

    static void handle(PeerLink link, Transport t, Envelope env, long now) {
        PathHealth p = link.path(t.index());
        if (env.getBodyCase() == Envelope.BodyCase.HANDSHAKE) {
            handshake(link, t, p, env.getHandshake(), now);
            return;
        }
        if (env.getBodyCase() == Envelope.BodyCase.RESULT) {
            result(link, t, env.getResult());
        }
        if (!p.handshaken()) {
            link.counters().beforeHandshake++;
            return;
        }
        if (env.getAck() != 0) {
            link.ackReceived(env.getAck());
        }
        switch (env.getBodyCase()) {
            case RP, MODIFY -> sequenced(link, t, env);
            case PING -> t.send(Envelopes.pong(env.getPing(), link.merge().delivered()));
            case PONG -> {
                if (p.pong(env.getPong().getNonce(), env.getPong().getSentTimeNanos(), now)) {
                    link.pathJoined(t, "pongs returned");
                }
            }
            case INTENT -> link.setPeerOffers(add(link.peerOffers(), env.getIntent().getPrefix()));
            case INTEREST -> link.setPeerWants(add(link.peerWants(), env.getInterest().getPrefix()));
            case INTENTS -> link.setPeerOffers(env.getIntents().getPrefixesList());
            case INTERESTS -> link.setPeerWants(env.getInterests().getPrefixesList());
            default -> { } // RESULT handled above; BODY_NOT_SET is a bare ack
        }
    }

    private static List<String> add(List<String> list, String prefix) {
        List<String> out = new ArrayList<>(list);
        if (!out.contains(prefix)) {
            out.add(prefix);
        }
        return out;
    }

    private static void handshake(PeerLink link, Transport t, PathHealth p, Handshake hs, long now) {
        LinkOptions o = link.options();
        if (hs.getVersionMajor() != o.versionMajor()) {
            link.refuse(t, Result.Code.VERSION_REFUSED, "incompatible protocol version " + hs.getVersionMajor()
                    + "." + hs.getVersionMinor() + " (this node speaks " + o.versionMajor() + "." + o.versionMinor() + ")");
            return;
        }
        if (!hs.getNodeId().equals(link.cfg().id())) {
            link.refuse(t, Result.Code.NODE_REFUSED, "expected node " + link.cfg().id() + ", got " + hs.getNodeId());
            return;
        }
        link.peerHandshake(hs);
        boolean joined = p.handshake(now);
        if (hs.getReply()) {
            link.sendHandshake(t, false);
        }
        if (joined) {
            link.pathJoined(t, "handshake");
        }
    }

    private static void result(PeerLink link, Transport t, Result r) {
        switch (r.getCode()) {
            case RESEND -> link.resendOne(r.getInReplyTo());
            case VERSION_REFUSED, NODE_REFUSED -> link.refusedBy(t, r.getReason());
            case BAD_ENVELOPE -> Logger.warn("peer {}: peer reports a bad envelope on {}: {}", link.cfg().id(),
                    t.name(), r.getReason());
            default -> { }
        }
    }

    private static void sequenced(PeerLink link, Transport t, Envelope env) {
        long seq = env.getSeq();
        if (seq == 0) {
            link.counters().badMessages++;
            Logger.warn("peer {}: unsequenced {} on {} dropped", link.cfg().id(), env.getBodyCase(), t.name());
            return;
        }
        List<Envelope> ready = new ArrayList<>(4);
        MergeWindow<Envelope> merge = link.merge();
        switch (merge.offer(seq, t.index(), env, link.liveMaskNow(), ready)) {
            case MISMATCH -> {
                MergeWindow.Mismatch m = merge.lastMismatch();
                Logger.warn("peer {}: copies of seq {} differ between {} and {}; both dropped, resend requested",
                        link.cfg().id(), seq, link.transports().get(m.first()).name(),
                        link.transports().get(m.second()).name());
                byte[] req = Envelopes.result(Result.Code.RESEND, "strict mismatch", seq);
                for (Transport x : link.transports()) {
                    if (link.path(x.index()).isLive()) {
                        x.send(req);
                    }
                }
            }
            case DUPLICATE -> link.requestAck();
            case OUT_OF_WINDOW -> Logger.debug("peer {}: seq {} beyond the window", link.cfg().id(), seq);
            default -> { }
        }
        link.released(ready);
    }

    /** One released envelope: an RP message for the listener, or a Modify. */
    static void release(PeerLink link, Envelope e) {
        PeerLink.Listener l = link.listener();
        if (e.getBodyCase() == Envelope.BodyCase.RP) {
            Message m;
            try {
                m = ResiCodec.fromProto(e.getRp());
            } catch (IllegalArgumentException ex) {
                link.counters().badMessages++;
                Logger.warn("peer {}: dropped RP message seq {}: {}", link.cfg().id(), e.getSeq(), ex.getMessage());
                return;
            }
            link.post(() -> l.onMessage(link, m));
            return;
        }
        Modify mod = e.getModify();
        boolean request = mod.getKindCase() == Modify.KindCase.REQUEST;
        Extension ext = request ? mod.getRequest().getExt() : mod.getResponse().getExt();
        if (link.options().extensions().contains(ext.getId())) {
            if (request) {
                Extension answer = Extension.newBuilder().setId(ext.getId()).setPass(false).build();
                link.deliverControl(Envelope.newBuilder().setModify(Envelopes.response(answer)));
            }
        } else if (ext.getPass()) {
            link.counters().extensionsPassed++;
            link.post(() -> l.onExtension(link, ext));
        } else {
            link.counters().extensionsDropped++;
            Logger.debug("peer {}: unknown extension {} (pass = false) dropped", link.cfg().id(), ext.getId());
        }
    }

    static void transportState(PeerLink link, Transport t, Transport.State s, String reason, long now) {
        PathHealth p = link.path(t.index());
        Logger.info("peer {}: transport {} {} ({})", link.cfg().id(), t.name(), s, reason);
        if (s == Transport.State.UP) {
            p.transportUp(now);
            link.sendHandshake(t, true);
        } else if (p.transportDown(s)) {
            link.pathLost(t, "transport " + reason);
        }
    }

    static void tickPath(PeerLink link, Transport t, PathHealth p, long now) {
        PathHealth.Due d = p.tick(now);
        if (d.handshakeTimedOut()) {
            link.counters().handshakeTimeouts++;
            Logger.warn("peer {}: no handshake on {} within {} ms; resetting it", link.cfg().id(), t.name(),
                    link.cfg().handshakeTimeoutMs());
            t.reset("handshake timeout");
        } else if (d.handshake()) {
            link.sendHandshake(t, true);
        }
        if (d.died()) {
            link.pathLost(t, "no pong for " + (long) link.cfg().deadAfterPings() * link.cfg().pingIntervalMs() + " ms");
        }
        if (d.ping()) {
            t.send(Envelopes.ping(t.index(), p.ping(now), now));
        }
    }

    static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}

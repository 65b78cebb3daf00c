package dev.ferry.edge.resi;

import dev.ferry.edge.proto.resi.Envelope;
import dev.ferry.edge.proto.resi.Extension;
import dev.ferry.edge.proto.resi.Handshake;
import dev.ferry.edge.proto.resi.Modify;
import dev.ferry.edge.proto.resi.ModifyRequest;
import dev.ferry.edge.proto.resi.Result;
import dev.ferry.edge.metrics.RemoteLog;
import dev.ferry.edge.transport.Transport;
import dev.ferry.rp.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * What a {@link PeerLink} does with each arriving envelope, transport event and tick. Every
 * method runs under the link's monitor; listener calls are posted, not made. Every envelope is
 * judged by its integrity check first ({@link #checked}): a copy that fails it is dropped,
 * counted against its transport and never handled; log lines caused by what a peer sent go
 * through {@link RemoteLog}.
 */
final class LinkReceive {
    private LinkReceive() { }

    /**
     * What can be done from the skim alone: a later copy of a sequenced envelope (the merge window
     * already has, already released, or cannot take its sequence number) goes to the window as
     * raw bytes; a bare ack frees the resend buffer.
     *
     * @return false when the envelope must be parsed and {@link #handle}d instead (it may be the
     *     first copy, another kind of envelope, or the transport is not handshaken yet)
     */
    static boolean withoutParse(PeerLink link, Transport t, Arrival a, long now) {
        if (!link.paths().path(t.index()).handshaken()) {
            return false;
        }
        if (!checked(link, t, a, now)) {
            return true;
        }
        if (a.isBareAck()) {
            link.ackReceived(a.ack());
            return true;
        }
        if (!a.isSequencedBody() || link.window().merge().isFirstCopy(a.seq())) {
            return false;
        }
        if (a.ack() != 0) {
            link.ackReceived(a.ack());
        }
        offer(link, t, a);
        return true;
    }

    /**
     * Judges {@code a} by its integrity check, once: true to go on with it; false when it failed
     * (or, from a peer that sends checks, came without one; a handshake without one is taken, as
     * it may come from an older peer that restarted): dropped and counted against {@code t}.
     */
    static boolean checked(PeerLink link, Transport t, Arrival a, long now) {
        if (!a.firstJudgement()) {
            return true;
        }
        EnvelopeCheck.Verdict v = a.integrity();
        if (v == EnvelopeCheck.Verdict.OK) {
            if (link.paths().path(t.index()).integrity().good(now) == PathIntegrity.Change.RECOVERED) {
                LinkTransitions.recovered(link, t);
            }
            return true;
        }
        if (v == EnvelopeCheck.Verdict.MISSING && (!link.handshake().peerChecks() || a.isHandshake())) {
            return true;
        }
        badCopy(link, t, v == EnvelopeCheck.Verdict.BAD ? LinkMetrics.Bad.CRC : LinkMetrics.Bad.NO_CRC, now);
        return false;
    }

    /** A copy on {@code t} was refused as bad: counted; {@code t} may leave the live set by it. */
    static void badCopy(PeerLink link, Transport t, LinkMetrics.Bad why, long now) {
        PathHealth p = link.paths().path(t.index());
        link.metrics().bad(t.index(), why);
        boolean wasFailing = p.integrity().failing();
        PathIntegrity.Change c = p.integrity().bad(now);
        if (!wasFailing) { // once it failed, its bad copies are counted, not logged: the transition said it
            RemoteLog.info("resi-bad-copy " + link.config().id(), "peer {}: dropped a copy on {} ({}); {} bad on it in all",
                    link.config().id(), t.name(), why == LinkMetrics.Bad.CRC ? "integrity check failed"
                            : why == LinkMetrics.Bad.NO_CRC ? "no integrity check" : "unparseable",
                    p.integrity().badTotal());
        }
        if (c == PathIntegrity.Change.FAILING) {
            LinkTransitions.failing(link, t);
        }
    }

    /** One parsed envelope ({@link Arrival#prepare} done). */
    static void handle(PeerLink link, Transport t, Arrival a, long now) {
        if (!checked(link, t, a, now)) {
            return;
        }
        Envelope env = a.parsedEnvelope();
        PathHealth p = link.paths().path(t.index());
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
            case RP, MODIFY -> sequenced(link, t, a);
            case PING -> t.send(Envelopes.pong(env.getPing(), link.window().delivered()));
            case PONG -> {
                if (p.pong(env.getPong().getNonce(), env.getPong().getSentTimeNanos(), now)) {
                    LinkTransitions.joined(link, t, "pongs returned");
                }
            }
            case INTENT -> link.handshake().setPeerOffers(add(link.handshake().peerOffers(),
                    env.getIntent().getPrefix()), 0);
            case INTEREST -> link.handshake().setPeerWants(add(link.handshake().peerWants(),
                    env.getInterest().getPrefix()), 0);
            case INTENTS -> link.handshake().setPeerOffers(env.getIntents().getPrefixesList(),
                    env.getIntents().getVersion());
            case INTERESTS -> link.handshake().setPeerWants(env.getInterests().getPrefixesList(),
                    env.getInterests().getVersion());
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
        if (!link.handshake().accept(t, hs)) {
            return;
        }
        boolean joined = p.handshake(now);
        t.healthy(); // a connecting transport's reconnect back-off starts over
        if (hs.getReply()) {
            link.handshake().send(t, false);
        }
        if (joined) {
            LinkTransitions.joined(link, t, "handshake");
        }
    }

    private static void result(PeerLink link, Transport t, Result r) {
        switch (r.getCode()) {
            case RESEND -> {
                link.counters().resendRequestsReceived++;
                link.metrics().requestReceived(t.index());
                link.sender().resendOne(r.getInReplyTo(), r.getHere() ? t : null);
            }
            case VERSION_REFUSED, NODE_REFUSED -> link.handshake().refusedBy(t, r.getReason());
            case BAD_ENVELOPE -> RemoteLog.warn("resi-bad-envelope-report", "peer {}: peer reports a bad envelope"
                    + " on {}: {}", link.config().id(), t.name(), RemoteLog.excerpt(r.getReason()));
            default -> { }
        }
    }

    private static void sequenced(PeerLink link, Transport t, Arrival a) {
        if (a.seq() == 0) {
            link.counters().badMessages++;
            RemoteLog.warn("resi-unsequenced", "peer {}: unsequenced {} on {} dropped", link.config().id(),
                    a.parsedEnvelope().getBodyCase(), t.name());
            return;
        }
        offer(link, t, a);
    }

    private static void offer(PeerLink link, Transport t, Arrival a) {
        long seq = a.seq();
        List<Arrival> ready = link.window().scratch();
        MergeWindow<Arrival> merge = link.window().merge();
        switch (merge.offer(seq, t.index(), a, link.paths().liveMask(), ready)) {
            case MISMATCH -> {
                MergeWindow.Mismatch m = merge.lastMismatch();
                link.metrics().mismatch();
                RemoteLog.warn("resi-mismatch " + link.config().id(),
                        "peer {}: copies of seq {} differ between {} and {}; both dropped, resend requested on each",
                        link.config().id(), seq, link.paths().transport(m.first()).name(),
                        link.paths().transport(m.second()).name());
                for (int i : new int[] {m.first(), m.second()}) {
                    link.paths().transport(i).send(Envelopes.resendHere(seq, "strict mismatch"));
                    link.counters().resendRequestsSent++;
                    link.metrics().requestSent(i);
                }
            }
            case DUPLICATE -> {
                link.window().seen(t.index(), seq);
                link.metrics().duplicate(t.index());
                link.window().requestAck();
            }
            case OUT_OF_WINDOW -> Logger.debug("peer {}: seq {} beyond the window", link.config().id(), seq);
            default -> link.window().seen(t.index(), seq);
        }
        released(link, ready);
    }

    /** Sequenced envelopes released by the merge: counted, handed over, acked. */
    static void released(PeerLink link, List<Arrival> ready) {
        if (ready.isEmpty()) {
            return;
        }
        for (Arrival e : ready) {
            link.counters().delivered++;
            release(link, e);
        }
        link.metrics().delivered(ready.size());
        link.window().released(ready.size());
    }

    /** One released envelope: an RP message for the listener, or a Modify. */
    private static void release(PeerLink link, Arrival a) {
        PeerListener l = link.listener();
        Envelope e;
        try {
            a.prepare(); // done already for the first copy; this is a safety net
            e = a.parsedEnvelope();
        } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
            link.counters().badMessages++;
            RemoteLog.warn("resi-unparseable", "peer {}: dropped unparseable envelope seq {}", link.config().id(), a.seq());
            return;
        }
        if (e.getBodyCase() == Envelope.BodyCase.RP) {
            Message m = a.message();
            if (m == null) {
                link.counters().badMessages++;
                RemoteLog.warn("resi-bad-message", "peer {}: dropped RP message seq {}: {}", link.config().id(), a.seq(),
                        RemoteLog.excerpt(a.badReason()));
                return;
            }
            link.inbox().postMessage(m, ResiCodec.meta(e.getRp(), link.principal()));
            return;
        }
        Modify mod = e.getModify();
        boolean request = mod.getKindCase() == Modify.KindCase.REQUEST;
        Extension ext = request ? mod.getRequest().getExt() : mod.getResponse().getExt();
        if (link.options().extensions().contains(ext.getId())) {
            link.metrics().extension(LinkMetrics.Ext.ANSWERED);
            if (request) {
                Extension answer = Extension.newBuilder().setId(ext.getId()).setPass(false).build();
                link.deliverControl(Envelope.newBuilder().setModify(Envelopes.response(answer)));
            }
        } else if (ext.getPass()) {
            link.counters().extensionsPassed++;
            link.metrics().extension(LinkMetrics.Ext.PASSED);
            PassedExtension x = passed(link, a.seq(), request ? mod.getRequest() : null, ext);
            link.inbox().post(() -> l.onExtension(link, x));
        } else {
            link.counters().extensionsDropped++;
            link.metrics().extension(LinkMetrics.Ext.DROPPED);
            Logger.debug("peer {}: unknown extension {} (pass = false) dropped", link.config().id(), ext.getId());
        }
    }

    /** Who first sent it: as the request says, else the peer itself, numbered by the envelope's seq. */
    private static PassedExtension passed(PeerLink link, long seq, ModifyRequest req, Extension ext) {
        if (req != null && !req.getOrigin().isEmpty()) {
            return new PassedExtension(ext, true, req.getOrigin(), req.getOriginSeq(), req.getHops());
        }
        return new PassedExtension(ext, req != null, link.config().id(), seq, 0);
    }

    static void transportState(PeerLink link, Transport t, Transport.State s, String reason, long now) {
        PathHealth p = link.paths().path(t.index());
        Logger.info("peer {}: transport {} {} ({})", link.config().id(), t.name(), s, reason);
        if (s == Transport.State.UP) {
            p.transportUp(now);
            link.handshake().send(t, true);
        } else {
            boolean wasLive = p.isLive();
            if (p.transportDown(s)) {
                LinkTransitions.lost(link, t, wasLive, "transport " + reason);
            }
        }
    }

    static void tickPath(PeerLink link, Transport t, PathHealth p, long now) {
        PathHealth.Due d = p.tick(now);
        if (d.handshakeTimedOut()) {
            link.counters().handshakeTimeouts++;
            RemoteLog.warn("resi-handshake-timeout", "peer {}: no handshake on {} within {} ms; resetting it",
                    link.config().id(), t.name(), link.config().handshakeTimeoutMs());
            t.reset("handshake timeout");
        } else if (d.handshake()) {
            link.handshake().send(t, true);
        }
        if (d.died()) {
            LinkTransitions.lost(link, t, !p.integrity().failing(),
                    "no pong for " + (long) link.config().deadAfterPings() * link.config().pingIntervalMs() + " ms");
        }
        if (d.ping()) {
            t.send(Envelopes.ping(t.index(), p.ping(now), now));
        }
    }

    static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}

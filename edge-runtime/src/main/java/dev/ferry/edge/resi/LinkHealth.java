package dev.ferry.edge.resi;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.ferry.edge.config.PeerConfig;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * A snapshot of one peer link's health, for {@code /#runtime/peers/<id>}: per transport state,
 * RTT and loss, and the link's merge and resend counters; the prefixes this side offers and wants
 * (configuration, or the last {@link PeerLink#advertise}) and the peer's. Immutable.
 *
 * <p>{@code resendsHeld}: resends the rate bound ({@code resend_rate}) held back;
 * {@code resendRequestsSent}/{@code Received}: RESEND requests for single envelopes;
 * {@code peerChecks}: the peer sends integrity checks (extension 2), so corrupt copies are known
 * as such and blamed on their transport.
 */
public record LinkHealth(String peer, String mode, boolean live, List<String> offers, List<String> wants,
        List<String> peerOffers,
        List<String> peerWants, List<TransportHealth> transports, long sent, long delivered,
        long copiesMerged, long duplicatesDropped, long mismatches, long outOfWindow, long resends,
        int unacked, int held, long backpressure, long garbage, long handshakeTimeouts, long refusals,
        long extensionsPassed, long extensionsDropped, String lastRefusal, long resendsHeld,
        long resendRequestsSent, long resendRequestsReceived, boolean peerChecks) {

    /**
     * One transport's view. {@code state} is the path's ({@code LIVE}, {@code SILENT}: no pong
     * for {@code dead_after_pings} intervals, {@code FAILING}: its copies keep failing their
     * integrity check, {@code HANDSHAKING}, {@code CONNECTING}, {@code DOWN}); {@code connection}
     * the transport's own ({@code UP}, {@code CONNECTING}, {@code DOWN}). {@code rttMicros} is -1
     * before the first pong; {@code loss} (0..1) is the share of the last 32 pings that got no pong
     * within {@code dead_after_pings × ping_interval_ms} (younger pings are not counted).
     * {@code badCopies}: envelopes that failed their integrity check on this transport.
     */
    public record TransportHealth(String name, String state, String connection, boolean handshaken, boolean live,
            long rttMicros, double loss, long pingsSent, long pongsReceived, long badCopies) { }

    /** The snapshot of {@code link} at {@code now}; under the link's lock. */
    static LinkHealth of(PeerLink link, long now) {
        PeerConfig c = link.config();
        LinkHandshake h = link.handshake();
        LinkCounters n = link.counters();
        MergeWindow<Arrival> merge = link.window().merge();
        return new LinkHealth(c.id(), c.mode().name().toLowerCase(Locale.ROOT), link.live(), h.offers(), h.wants(),
                h.peerOffers(), h.peerWants(), link.paths().health(now), n.sent, n.delivered, merge.copiesMerged(),
                merge.duplicates(), merge.mismatches(), merge.outOfWindow(), n.resends, link.sender().held(),
                merge.held(), n.backpressure, n.garbage, n.handshakeTimeouts, n.refusals, n.extensionsPassed,
                n.extensionsDropped, h.lastRefusal(), n.resendsHeld, n.resendRequestsSent, n.resendRequestsReceived,
                h.peerChecks());
    }

    /** Writes this snapshot as one JSON object (usable as a {@code Json.Writer}). */
    public void write(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("peer", peer);
        g.writeStringField("mode", mode);
        g.writeBooleanField("live", live);
        strings(g, "offers", offers);
        strings(g, "wants", wants);
        strings(g, "peerOffers", peerOffers);
        strings(g, "peerWants", peerWants);
        g.writeArrayFieldStart("transports");
        for (TransportHealth t : transports) {
            g.writeStartObject();
            g.writeStringField("name", t.name());
            g.writeStringField("state", t.state());
            g.writeStringField("connection", t.connection());
            g.writeBooleanField("handshaken", t.handshaken());
            g.writeBooleanField("live", t.live());
            g.writeNumberField("rttMicros", t.rttMicros());
            g.writeNumberField("loss", Math.round(t.loss() * 1000) / 1000.0);
            g.writeNumberField("pingsSent", t.pingsSent());
            g.writeNumberField("pongsReceived", t.pongsReceived());
            g.writeNumberField("badCopies", t.badCopies());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("sent", sent);
        g.writeNumberField("delivered", delivered);
        g.writeNumberField("copiesMerged", copiesMerged);
        g.writeNumberField("duplicatesDropped", duplicatesDropped);
        g.writeNumberField("mismatches", mismatches);
        g.writeNumberField("outOfWindow", outOfWindow);
        g.writeNumberField("resends", resends);
        g.writeNumberField("resendsHeld", resendsHeld);
        g.writeNumberField("resendRequestsSent", resendRequestsSent);
        g.writeNumberField("resendRequestsReceived", resendRequestsReceived);
        g.writeBooleanField("peerChecks", peerChecks);
        g.writeNumberField("unacked", unacked);
        g.writeNumberField("held", held);
        g.writeNumberField("backpressure", backpressure);
        g.writeNumberField("garbage", garbage);
        g.writeNumberField("handshakeTimeouts", handshakeTimeouts);
        g.writeNumberField("refusals", refusals);
        g.writeNumberField("extensionsPassed", extensionsPassed);
        g.writeNumberField("extensionsDropped", extensionsDropped);
        if (lastRefusal != null) {
            g.writeStringField("lastRefusal", lastRefusal);
        }
        g.writeEndObject();
    }

    /** The short form for {@code /#runtime/peers}: id, mode, live, and each transport's state and RTT. */
    public void writeSummary(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", peer);
        g.writeStringField("mode", mode);
        g.writeBooleanField("live", live);
        g.writeArrayFieldStart("transports");
        for (TransportHealth t : transports) {
            g.writeStartObject();
            g.writeStringField("name", t.name());
            g.writeStringField("state", t.state());
            g.writeBooleanField("live", t.live());
            g.writeNumberField("rttMicros", t.rttMicros());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}

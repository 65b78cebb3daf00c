package dev.ferry.edge.resi;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;

/**
 * A snapshot of one peer link's health, for {@code /#runtime/peers/<id>}: per transport state,
 * RTT and loss, and the link's merge and resend counters; the prefixes this side offers and wants
 * (configuration, or the last {@link PeerLink#advertise}) and the peer's. Immutable.
 */
public record LinkHealth(String peer, String mode, boolean live, List<String> offers, List<String> wants,
        List<String> peerOffers,
        List<String> peerWants, List<TransportHealth> transports, long sent, long delivered,
        long copiesMerged, long duplicatesDropped, long mismatches, long outOfWindow, long resends,
        int unacked, int held, long backpressure, long garbage, long handshakeTimeouts, long refusals,
        long extensionsPassed, long extensionsDropped, String lastRefusal) {

    /** One transport's view. {@code rttMicros} is -1 before the first pong; loss is 0..1. */
    public record TransportHealth(String name, String state, boolean handshaken, boolean live,
            long rttMicros, double loss, long pingsSent, long pongsReceived) { }

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
            g.writeBooleanField("handshaken", t.handshaken());
            g.writeBooleanField("live", t.live());
            g.writeNumberField("rttMicros", t.rttMicros());
            g.writeNumberField("loss", Math.round(t.loss() * 1000) / 1000.0);
            g.writeNumberField("pingsSent", t.pingsSent());
            g.writeNumberField("pongsReceived", t.pongsReceived());
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

    private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}

package dev.ferry.edge.resi;

import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.transport.Transport;
import dev.ferry.edge.transport.TransportCounters;
import java.util.List;

/**
 * A {@link PeerLink}'s figures in {@link Metrics}, per peer ({@code peer="<id>"}) and per
 * transport ({@code transport="<index>"}, its position in the peer's configuration; the
 * transport's name is in {@code ferry_resi_transport_info}). One collector per link takes one
 * {@link PeerLink#health()} per scrape, so a link's series agree with each other. Every kind of
 * transport (TCP, UDP, RAET) is counted the same way, through its {@link TransportCounters}.
 */
public final class PeerMetrics {
    private PeerMetrics() { }

    /** Describes the families and registers the collector of {@code link}. */
    public static void register(Metrics metrics, PeerLink link) {
        describe(metrics);
        metrics.collector("resi:" + link.config().id(), out -> collect(link, out));
    }

    static void collect(PeerLink link, Metrics.Samples out) {
        LinkHealth h = link.health();
        long refusedDown;
        long badMessages;
        long beforeHandshake;
        synchronized (link) {
            LinkCounters n = link.counters();
            refusedDown = n.refusedDown;
            badMessages = n.badMessages;
            beforeHandshake = n.beforeHandshake;
        }
        String p = h.peer();
        out.gauge("ferry_resi_live", h.live() ? 1 : 0, "peer", p);
        out.counter("ferry_resi_sent_total", h.sent(), "peer", p);
        out.counter("ferry_resi_delivered_total", h.delivered(), "peer", p);
        out.counter("ferry_resi_copies_merged_total", h.copiesMerged(), "peer", p);
        out.counter("ferry_resi_duplicates_dropped_total", h.duplicatesDropped(), "peer", p);
        out.counter("ferry_resi_out_of_window_total", h.outOfWindow(), "peer", p);
        out.counter("ferry_resi_backpressure_total", h.backpressure(), "peer", p);
        out.counter("ferry_resi_refused_down_total", refusedDown, "peer", p);
        out.counter("ferry_resi_garbage_total", h.garbage(), "peer", p);
        out.counter("ferry_resi_bad_messages_total", badMessages, "peer", p);
        out.counter("ferry_resi_before_handshake_total", beforeHandshake, "peer", p);
        out.counter("ferry_resi_handshake_timeouts_total", h.handshakeTimeouts(), "peer", p);
        out.counter("ferry_resi_refusals_total", h.refusals(), "peer", p);
        out.gauge("ferry_resi_unacked", h.unacked(), "peer", p);
        out.gauge("ferry_resi_held", h.held(), "peer", p);
        List<Transport> ts = link.transports();
        for (int i = 0; i < h.transports().size(); i++) {
            LinkHealth.TransportHealth t = h.transports().get(i);
            String tr = Integer.toString(i);
            out.gauge("ferry_resi_transport_info", 1, "peer", p, "transport", tr, "name", t.name());
            out.gauge("ferry_resi_transport_up", "UP".equals(t.state()) ? 1 : 0, "peer", p, "transport", tr);
            out.gauge("ferry_resi_transport_live", t.live() ? 1 : 0, "peer", p, "transport", tr);
            if (t.rttMicros() >= 0) {
                out.gauge("ferry_resi_rtt_microseconds", t.rttMicros(), "peer", p, "transport", tr);
            }
            out.counter("ferry_resi_pings_sent_total", t.pingsSent(), "peer", p, "transport", tr);
            out.counter("ferry_resi_pongs_received_total", t.pongsReceived(), "peer", p, "transport", tr);
            TransportCounters c = i < ts.size() ? ts.get(i).traffic() : null;
            if (c != null) {
                out.counter("ferry_resi_transport_envelopes_total", c.envelopesOut(), "peer", p, "transport", tr,
                        "direction", "out");
                out.counter("ferry_resi_transport_envelopes_total", c.envelopesIn(), "peer", p, "transport", tr,
                        "direction", "in");
                out.counter("ferry_resi_transport_bytes_total", c.bytesOut(), "peer", p, "transport", tr,
                        "direction", "out");
                out.counter("ferry_resi_transport_bytes_total", c.bytesIn(), "peer", p, "transport", tr,
                        "direction", "in");
                out.counter("ferry_resi_transport_send_refused_total", c.refused(), "peer", p, "transport", tr);
                out.counter("ferry_resi_transport_garbage_total", c.garbage(), "peer", p, "transport", tr);
                out.counter("ferry_resi_transport_ups_total", c.ups(), "peer", p, "transport", tr);
            }
        }
    }

    private static void describe(Metrics m) {
        m.describe("ferry_resi_live", "1 while at least one transport to the peer is live.");
        m.describe("ferry_resi_sent_total", "Sequenced envelopes sent to the peer (each on every live transport).");
        m.describe("ferry_resi_delivered_total", "Envelopes from the peer delivered, in order, once.");
        m.describe("ferry_resi_copies_merged_total", "Later copies of an envelope merged with the first.");
        m.describe("ferry_resi_duplicates_dropped_total", "Copies dropped by the duplicate window.");
        m.describe("ferry_resi_out_of_window_total", "Envelopes outside the receive window (dropped).");
        m.describe("ferry_resi_backpressure_total", "Sends refused because the resend buffer was full.");
        m.describe("ferry_resi_refused_down_total", "Sends refused because the link was down.");
        m.describe("ferry_resi_garbage_total", "Unparseable envelopes and framing errors from the peer.");
        m.describe("ferry_resi_bad_messages_total", "Envelopes from the peer whose RP message was invalid.");
        m.describe("ferry_resi_before_handshake_total", "Envelopes from the peer before its handshake (dropped).");
        m.describe("ferry_resi_handshake_timeouts_total", "Transports whose handshake did not complete in time.");
        m.describe("ferry_resi_refusals_total", "Handshakes refused (version, node id).");
        m.describe("ferry_resi_unacked", "Envelopes sent and not yet acknowledged by the peer.");
        m.describe("ferry_resi_held", "Envelopes from the peer held for ordering or strict merge.");
        m.describe("ferry_resi_transport_info", "A peer transport's name (always 1).");
        m.describe("ferry_resi_transport_up", "1 while the transport is connected.");
        m.describe("ferry_resi_transport_live", "1 while the transport is in the live set (handshaken, answering pings).");
        m.describe("ferry_resi_rtt_microseconds", "Smoothed ping round-trip time of the transport.");
        m.describe("ferry_resi_pings_sent_total", "Pings sent on the transport.");
        m.describe("ferry_resi_pongs_received_total", "Pongs received on the transport.");
        m.describe("ferry_resi_transport_envelopes_total", "Envelopes the transport carried, by direction.");
        m.describe("ferry_resi_transport_bytes_total", "Envelope bytes the transport carried (framing excluded), by direction.");
        m.describe("ferry_resi_transport_send_refused_total", "Envelopes the transport refused (not up, queue full).");
        m.describe("ferry_resi_transport_garbage_total", "Framing errors on the transport.");
        m.describe("ferry_resi_transport_ups_total", "Times the transport connected (or reconnected).");
    }
}

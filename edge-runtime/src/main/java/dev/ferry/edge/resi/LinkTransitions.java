package dev.ferry.edge.resi;

import dev.ferry.edge.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tinylog.Logger;

/**
 * What a {@link PeerLink} does when a transport joins or leaves the live set: resending,
 * re-evaluating strict mode's waits, counting ({@code ferry_resi_live_set_changes_total}), and one
 * log line per transition. A transport leaves when its transport goes down, when its pongs stop
 * (silent) or when its copies keep failing their integrity check (failing, {@link PathIntegrity});
 * it rejoins when the cause is gone. Every method runs under the link's monitor.
 */
final class LinkTransitions {
    private LinkTransitions() { }

    /** A path carries again (handshake, pongs returned): it gets every unacknowledged envelope. */
    static void joined(PeerLink link, Transport t, String why) {
        link.sender().resendTo(t);
        PathHealth p = link.paths().path(t.index());
        if (!p.isLive()) {
            Logger.info("peer {}: transport {} is up again ({}) but stays out of the live set: its copies still"
                    + " fail their integrity check", link.config().id(), t.name(), why);
            link.updateLive(why);
            return;
        }
        link.window().joined(t.index());
        link.metrics().liveChange(t.index(), true);
        Logger.info("peer {}: transport {} joined the live set ({}); live: {}", link.config().id(), t.name(), why,
                link.paths().liveNames());
        link.updateLive(why);
    }

    /** A path stopped carrying (transport down, no pong): resend what is unacknowledged, re-evaluate strict waits. */
    static void lost(PeerLink link, Transport t, boolean wasLive, String why) {
        if (wasLive) {
            link.metrics().liveChange(t.index(), false);
            Logger.warn("peer {}: transport {} left the live set ({}); {} continues on {}", link.config().id(), t.name(),
                    why, mode(link), link.paths().liveNames());
        }
        link.sender().resendOnLive();
        liveSetShrank(link);
        link.updateLive(why);
    }

    /**
     * A path's copies keep failing their integrity check: it leaves the live set (strict mode
     * stops waiting for it) but still carries what we send (the peer may receive well on it). A
     * stream transport is reset once, in case its framing lost step.
     */
    static void failing(PeerLink link, Transport t) {
        PathHealth p = link.paths().path(t.index());
        int limit = p.integrity().limit();
        if (p.carries()) {
            link.metrics().liveChange(t.index(), false);
        }
        Logger.warn("peer {}: transport {} left the live set: {} of its envelopes failed their integrity check"
                + " without {} good ones in a row between (max_bad_copies); {} continues on {}; it rejoins after {}"
                + " good envelopes in a row and {} ms without a bad one", link.config().id(), t.name(), limit, limit,
                mode(link), link.paths().liveNames(), limit,
                (long) link.config().deadAfterPings() * link.config().pingIntervalMs());
        liveSetShrank(link);
        if (t.isStream()) {
            link.later(() -> t.reset("copies keep failing their integrity check"));
        }
        link.updateLive("transport " + t.name() + " failing");
    }

    /** A failing path carried {@code max_bad_copies} good envelopes in a row, none bad for the dead interval. */
    static void recovered(PeerLink link, Transport t) {
        PathHealth p = link.paths().path(t.index());
        int limit = p.integrity().limit();
        if (!p.isLive()) {
            Logger.info("peer {}: transport {} carries good envelopes again ({} in a row); not live yet ({})",
                    link.config().id(), t.name(), limit, p.pathState().name().toLowerCase(Locale.ROOT));
            return;
        }
        link.window().joined(t.index());
        link.metrics().liveChange(t.index(), true);
        Logger.info("peer {}: transport {} rejoined the live set: {} good envelopes in a row; live: {}",
                link.config().id(), t.name(), limit, link.paths().liveNames());
        link.updateLive("transport " + t.name() + " recovered");
    }

    private static void liveSetShrank(PeerLink link) {
        List<Arrival> ready = new ArrayList<>();
        link.window().merge().liveChanged(link.paths().liveMask(), ready);
        LinkReceive.released(link, ready);
        link.window().ackIfDue();
    }

    private static String mode(PeerLink link) {
        return link.config().mode().name().toLowerCase(Locale.ROOT);
    }
}

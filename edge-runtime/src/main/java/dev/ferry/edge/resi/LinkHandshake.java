package dev.ferry.edge.resi;

import dev.ferry.edge.config.PeerConfig;
import dev.ferry.edge.proto.resi.Handshake;
import dev.ferry.edge.proto.resi.Result;
import dev.ferry.edge.transport.Transport;
import io.netty.channel.EventLoopGroup;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * The handshake side of a {@link PeerLink}: our handshake (version, node id, session, first
 * sequence number, cumulative ack), checking the peer's (same major version and the expected
 * node id, else it is refused with a Result naming why and the transport reset), the peer's
 * session (a new one resets the receive window) and the prefixes it offers and wants (at most
 * 256 each), and ours: set from the configuration, replaced by {@link #advertise} (versioned, so
 * a late copy of an older list on a slower transport does not undo a newer one). Guarded by the
 * link's monitor.
 */
final class LinkHandshake {
    private static final int MAX_PREFIXES = 256;

    private final PeerConfig config;
    private final String localNode;
    private final LinkOptions options;
    private final EventLoopGroup group;
    private final LinkCounters n;
    private final LinkSender sender;
    private final ReceiveWindow window;
    private final long session;
    private long peerSession;
    private List<String> offers;
    private List<String> wants;
    private long prefixesVersion = 1;
    private List<String> peerOffers = List.of();
    private List<String> peerWants = List.of();
    private long peerOffersVersion;
    private long peerWantsVersion;
    private String lastRefusal;
    private boolean peerChecks;
    private boolean peerChecksKnown;

    /** @param session our session id (positive), new at each start of this process */
    LinkHandshake(PeerConfig config, String localNode, LinkOptions options, EventLoopGroup group, LinkCounters n,
                  LinkSender sender, ReceiveWindow window, long session) {
        this.config = config;
        this.localNode = localNode;
        this.options = options;
        this.group = group;
        this.n = n;
        this.sender = sender;
        this.window = window;
        this.session = session;
        this.offers = List.copyOf(config.offers());
        this.wants = List.copyOf(config.wants());
    }

    /** Sends our handshake on {@code t}; {@code reply} asks the peer to answer with its own. */
    void send(Transport t, boolean reply) {
        t.send(Envelopes.handshake(options.versionMajor(), options.versionMinor(), localNode,
                options.extensions(), offers, wants, prefixesVersion, session, sender.firstUnacked(), reply,
                window.delivered()));
    }

    /**
     * Replaces what we offer and want; the next handshakes carry them.
     *
     * @return the Intents and Interests envelopes to send on every handshaken transport
     * @throws IllegalArgumentException for more than 256 prefixes in a list
     */
    List<byte[]> advertise(List<String> newOffers, List<String> newWants) {
        if (newOffers.size() > MAX_PREFIXES || newWants.size() > MAX_PREFIXES) {
            throw new IllegalArgumentException("at most " + MAX_PREFIXES + " offered and wanted prefixes");
        }
        offers = List.copyOf(newOffers);
        wants = List.copyOf(newWants);
        prefixesVersion++;
        Logger.info("peer {}: advertising offers {} and wants {} (version {})", config.id(), offers, wants,
                prefixesVersion);
        return List.of(Envelopes.intents(offers, prefixesVersion), Envelopes.interests(wants, prefixesVersion));
    }

    List<String> offers() {
        return offers;
    }

    List<String> wants() {
        return wants;
    }

    /**
     * Checks the peer's handshake on {@code t} and takes its session and prefixes.
     *
     * @return false when the peer was refused (another major version or another node id)
     */
    boolean accept(Transport t, Handshake hs) {
        if (hs.getVersionMajor() != options.versionMajor()) {
            refuse(t, Result.Code.VERSION_REFUSED, "incompatible protocol version " + hs.getVersionMajor()
                    + "." + hs.getVersionMinor() + " (this node speaks " + options.versionMajor() + "."
                    + options.versionMinor() + ")");
            return false;
        }
        if (!hs.getNodeId().equals(config.id())) {
            refuse(t, Result.Code.NODE_REFUSED, "expected node " + config.id() + ", got " + hs.getNodeId());
            return false;
        }
        if (hs.getSession() != peerSession) {
            if (peerSession != 0) {
                Logger.info("peer {}: peer restarted (new session); receive window reset", config.id());
            }
            peerSession = hs.getSession();
            window.peerRestarted(hs.getFirstSeq());
            peerOffersVersion = 0;
            peerWantsVersion = 0;
        }
        setPeerOffers(hs.getOffersList(), hs.getPrefixesVersion());
        setPeerWants(hs.getWantsList(), hs.getPrefixesVersion());
        boolean checks = hs.getExtensionsList().contains(EnvelopeCheck.EXTENSION);
        if (!peerChecksKnown || peerChecks != checks) {
            peerChecksKnown = true;
            peerChecks = checks;
            Logger.info("peer {}: the peer {} integrity checks on its envelopes{}", config.id(),
                    peerChecks ? "sends" : "does not send",
                    peerChecks ? "" : " (an older Ferry): a corrupting transport cannot be told from a good one");
        }
        return true;
    }

    /** Whether the peer announced extension 2: every envelope it sends carries an integrity check. */
    boolean peerChecks() {
        return peerChecks;
    }

    private void refuse(Transport t, Result.Code code, String reason) {
        n.refusals++;
        lastRefusal = reason;
        Logger.warn("peer {}: refusing the peer on {}: {}", config.id(), t.name(), reason);
        t.send(Envelopes.result(code, reason, 0));
        group.next().schedule(() -> t.reset(reason), 100, TimeUnit.MILLISECONDS);
    }

    /** The peer refused our handshake on {@code t}. */
    void refusedBy(Transport t, String reason) {
        n.refusals++;
        lastRefusal = "refused by peer: " + reason;
        Logger.warn("peer {}: the peer refused us on {}: {}", config.id(), t.name(), reason);
    }

    /** The last refusal either way, or null. */
    String lastRefusal() {
        return lastRefusal;
    }

    /** The peer's offers, unless {@code version} is older than what we have (0 = unversioned: taken). */
    void setPeerOffers(List<String> list, long version) {
        if (version == 0 || version >= peerOffersVersion) {
            peerOffers = List.copyOf(list.subList(0, Math.min(MAX_PREFIXES, list.size())));
            peerOffersVersion = Math.max(peerOffersVersion, version);
        }
    }

    /** The peer's wants, unless {@code version} is older than what we have (0 = unversioned: taken). */
    void setPeerWants(List<String> list, long version) {
        if (version == 0 || version >= peerWantsVersion) {
            peerWants = List.copyOf(list.subList(0, Math.min(MAX_PREFIXES, list.size())));
            peerWantsVersion = Math.max(peerWantsVersion, version);
        }
    }

    List<String> peerOffers() {
        return peerOffers;
    }

    List<String> peerWants() {
        return peerWants;
    }
}

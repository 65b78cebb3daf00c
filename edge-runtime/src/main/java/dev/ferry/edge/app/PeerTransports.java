package dev.ferry.edge.app;

import dev.ferry.edge.config.FerryConfig;
import dev.ferry.edge.config.PeerConfig;
import dev.ferry.edge.config.SecurityConfig;
import dev.ferry.edge.config.TransportConfig;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.metrics.RemoteLog;
import dev.ferry.edge.raet.AeadSuite;
import dev.ferry.edge.raet.RaetKeys;
import dev.ferry.edge.raet.RaetTransport;
import dev.ferry.edge.resi.LinkOptions;
import dev.ferry.edge.resi.PeerLinks;
import dev.ferry.edge.security.NodeKeys;
import dev.ferry.edge.security.PeerTls;
import dev.ferry.edge.transport.TcpGuard;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.util.Locale;
import org.tinylog.Logger;

/**
 * Makes each peer's transports under the security mode (docs/security.md, "Peers"). In modes
 * signed and encrypted this node's key and the trusted keys are loaded once ({@link NodeKeys});
 * a peer's TCP transports run TLS 1.3 accepting only keys bound to that peer's id
 * ({@link PeerTls}; one server and one client context per peer), and its RAET transports trust
 * only those keys too. In mode open every start logs a warning that peers are not authenticated
 * (and one per listener on a non-loopback address). Refused connections are counted as
 * {@code ferry_peer_connections_refused_total{peer,reason}} and logged through {@link RemoteLog}.
 */
final class PeerTransports {
    private final SecurityConfig sc;
    private final PeerTls tls;
    private final Metrics metrics;

    /**
     * @throws IllegalArgumentException a key file is malformed (the message names it)
     * @throws java.io.UncheckedIOException a key file cannot be read
     */
    PeerTransports(FerryConfig cfg, Metrics metrics) {
        this.sc = cfg.security();
        this.metrics = metrics;
        this.tls = sc.authenticatesPeers() ? PeerTls.create(NodeKeys.load(sc), cfg.node().id()) : null;
        metrics.describe("ferry_peer_connections_refused_total", "Peer connections refused before any envelope"
                + " was read (untrusted key, key of another peer, TLS failure or timeout, too many connections)");
        warnIfUnauthenticated(cfg);
    }

    /** The transports of {@code peer} that need keys or a guard: RAET and TCP (UDP: PeerLinks' own). */
    PeerLinks.TransportFactory factory(PeerConfig peer, EventLoopGroup group, LinkOptions options) {
        OnePeer made = new OnePeer(peer);
        return (index, tc, loop) -> switch (tc.kind()) {
            case RAET -> RaetTransport.create(index, tc, sc, made.raetKeys(), metrics, group, options);
            case TCP -> PeerLinks.tcp(index, tc, loop, options, made.guard(tc));
            default -> null;
        };
    }

    private static void warnIfUnauthenticated(FerryConfig cfg) {
        if (cfg.security().authenticatesPeers() || cfg.peers().isEmpty()) {
            return;
        }
        Logger.warn("security mode open: peers are not authenticated and links are not encrypted; anyone who"
                + " can reach a peer transport can speak for that peer (set [security] mode = \"signed\" or"
                + " \"encrypted\"; see docs/security.md)");
        for (PeerConfig p : cfg.peers()) {
            for (TransportConfig tc : p.transports()) {
                if (tc.listen().isPresent() && !tc.listen().get().isLoopback()) {
                    Logger.warn("peer {}: {} transport listens on {} for unauthenticated peers from the network"
                            + " ([security] unsafe_unauthenticated_lan = true)", p.id(),
                            tc.kind().name().toLowerCase(Locale.ROOT), tc.listen().get());
                }
            }
        }
    }

    /** One peer's TLS contexts (made on first use), RAET keys and refusal sink. */
    private final class OnePeer {
        private final PeerConfig peer;
        private final TcpGuard.Refusals refusals;
        private SslContext server;
        private SslContext client;

        OnePeer(PeerConfig peer) {
            this.peer = peer;
            String id = peer.id();
            this.refusals = (reason, remote, detail) -> {
                metrics.inc("ferry_peer_connections_refused_total", "peer", id, "reason", reason);
                RemoteLog.warn("peer-refused:" + id + ":" + reason, "peer {}: refused a connection from {}: {} ({})",
                        id, remote, detail, reason);
            };
        }

        TcpGuard guard(TransportConfig tc) {
            if (tls == null) {
                return TcpGuard.plain(refusals);
            }
            SslContext ctx;
            if (tc.listen().isPresent()) {
                ctx = server != null ? server : (server = tls.serverFor(peer.id()));
            } else {
                ctx = client != null ? client : (client = tls.clientFor(peer.id()));
            }
            return TcpGuard.tls(ctx, peer.handshakeTimeoutMs(), PeerTls::reason, refusals);
        }

        /** RAET keys for this peer: this node's identity, and only the keys bound to the peer's id. */
        RaetKeys raetKeys() {
            if (tls == null) {
                return RaetKeys.open();
            }
            NodeKeys keys = tls.keys();
            return RaetKeys.of(sc.mode(), keys.identity(), keys.keysFor(peer.id()))
                    .withSuites(AeadSuite.preference(sc.ciphers()));
        }
    }
}

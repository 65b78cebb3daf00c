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
import dev.ferry.edge.resi.PeerLink;
import dev.ferry.edge.resi.PeerLinks;
import dev.ferry.edge.route.Router;
import dev.ferry.edge.runtime.RuntimeResource;
import dev.ferry.edge.runtime.RuntimeResources;
import dev.ferry.edge.security.NodeKeys;
import dev.ferry.edge.security.PeerTls;
import dev.ferry.edge.transport.TcpGuard;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * The peer gateways of a configuration: one RESI {@link PeerLink} per {@code [[peers]]} entry
 * over its transports, attached to the router, its health served as the observable runtime
 * resource {@code /#runtime/peers/<id>} (one path segment: {@code peers/<id>}).
 *
 * <p>Security (docs/security.md, "Peers"): in modes signed and encrypted this node's key and the
 * trusted keys are loaded once ({@link NodeKeys}); each peer's TCP transports run TLS 1.3 accepting
 * only keys bound to that peer's id ({@link PeerTls}), and its RAET transports accept only those
 * keys too. In mode open every start logs a warning that peers are not authenticated. Refused
 * connections are counted as {@code ferry_peer_connections_refused_total{peer,reason}} and logged
 * through {@link RemoteLog}.
 */
final class PeerAssembly implements AutoCloseable {
    private final List<PeerLink> links = new ArrayList<>();
    private EventLoopGroup group;

    /**
     * @throws IllegalArgumentException a key file is malformed (the message names it)
     * @throws java.io.UncheckedIOException a key file or a listening address cannot be used
     */
    void start(FerryConfig cfg, Router router, RuntimeResources runtime, Metrics metrics) {
        if (cfg.peers().isEmpty()) {
            return;
        }
        SecurityConfig sc = cfg.security();
        PeerTls tls = sc.authenticatesPeers() ? PeerTls.create(NodeKeys.load(sc), cfg.node().id()) : null;
        warnIfUnauthenticated(cfg);
        metrics.describe("ferry_peer_connections_refused_total", "Peer connections refused before any envelope"
                + " was read (untrusted key, key of another peer, TLS failure or timeout, too many connections)");
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        LinkOptions options = LinkOptions.defaults();
        for (PeerConfig p : cfg.peers()) {
            Transports made = new Transports(p, sc, tls, metrics);
            PeerLink link = PeerLinks.fromConfig(p, cfg.node().id(), PeerLinks.mountFor(router.table(), p.id()),
                    group, options, (index, tc, loop) -> switch (tc.kind()) {
                        case RAET -> RaetTransport.create(index, tc, sc, made.raetKeys(), metrics, group, options);
                        case TCP -> PeerLinks.tcp(index, tc, loop, options, made.guard(tc));
                        default -> null;
                    });
            link.startWith(router);
            links.add(link);
            runtime.add(new RuntimeResource("peers/" + p.id(), g -> link.health().write(g), true,
                    "{\"verbs\":[\"GET\"],\"type\":\"j\",\"observable\":\"every second\"}"));
        }
    }

    private static void warnIfUnauthenticated(FerryConfig cfg) {
        if (cfg.security().authenticatesPeers()) {
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
                            tc.kind().name().toLowerCase(java.util.Locale.ROOT), tc.listen().get());
                }
            }
        }
    }

    /** What one peer's transports are made with: its TLS contexts, its RAET keys, its refusal sink. */
    private static final class Transports {
        private final PeerConfig peer;
        private final SecurityConfig sc;
        private final PeerTls tls;
        private final TcpGuard.Refusals refusals;
        private SslContext server;
        private SslContext client;

        Transports(PeerConfig peer, SecurityConfig sc, PeerTls tls, Metrics metrics) {
            this.peer = peer;
            this.sc = sc;
            this.tls = tls;
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

    @Override
    public void close() {
        links.forEach(PeerLink::close);
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}

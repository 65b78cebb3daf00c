package dev.ferry.edge.app;

import dev.ferry.edge.config.FerryConfig;
import dev.ferry.edge.config.PeerConfig;
import dev.ferry.edge.config.TransportConfig;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.raet.RaetKeys;
import dev.ferry.edge.raet.RaetTransport;
import dev.ferry.edge.resi.LinkOptions;
import dev.ferry.edge.resi.PeerLink;
import dev.ferry.edge.resi.PeerLinks;
import dev.ferry.edge.resi.PeerMetrics;
import dev.ferry.edge.route.Router;
import dev.ferry.edge.runtime.RuntimeResource;
import dev.ferry.edge.runtime.RuntimeResources;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The peer gateways of a configuration: one RESI {@link PeerLink} per {@code [[peers]]} entry
 * over its transports (TCP, UDP, RAET), attached to the router, its health served as the
 * observable runtime resource {@code /#runtime/peers/<id>} (one path segment: {@code peers/<id>}).
 */
final class PeerAssembly implements AutoCloseable {
    private final List<PeerLink> links = new ArrayList<>();
    private EventLoopGroup group;

    void start(FerryConfig cfg, Router router, RuntimeResources runtime, Metrics metrics) {
        if (cfg.peers().isEmpty()) {
            return;
        }
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        LinkOptions options = LinkOptions.defaults();
        RaetKeys keys = needsRaet(cfg) ? RaetKeys.load(cfg.security()) : null;
        for (PeerConfig p : cfg.peers()) {
            PeerLink link = PeerLinks.fromConfig(p, cfg.node().id(), PeerLinks.mountFor(router.table(), p.id()),
                    group, options, (index, tc) -> RaetTransport.create(index, tc, cfg.security(), keys, metrics,
                            group, options));
            link.startWith(router);
            links.add(link);
            PeerMetrics.register(metrics, link);
            runtime.add(new RuntimeResource("peers/" + p.id(), g -> link.health().write(g), true,
                    "{\"verbs\":[\"GET\"],\"type\":\"j\",\"observable\":\"every second\"}"));
        }
    }

    private static boolean needsRaet(FerryConfig cfg) {
        return cfg.peers().stream().flatMap(p -> p.transports().stream())
                .anyMatch(t -> t.kind() == TransportConfig.Kind.RAET);
    }

    @Override
    public void close() {
        links.forEach(PeerLink::close);
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}

package dev.ferry.edge.app;

import dev.ferry.edge.config.FerryConfig;
import dev.ferry.edge.config.PeerConfig;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.proto.resi.Extension;
import dev.ferry.edge.resi.ExtensionJson;
import dev.ferry.edge.resi.ExtensionRelay;
import dev.ferry.edge.resi.LinkOptions;
import dev.ferry.edge.resi.PeerLink;
import dev.ferry.edge.resi.PeerLinks;
import dev.ferry.edge.resi.PeerMetrics;
import dev.ferry.edge.route.Inbound;
import dev.ferry.edge.route.Router;
import dev.ferry.edge.runtime.Json;
import dev.ferry.edge.runtime.RuntimeAction;
import dev.ferry.edge.runtime.RuntimeResource;
import dev.ferry.edge.runtime.RuntimeResources;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The peer gateways of a configuration: one RESI {@link PeerLink} per {@code [[peers]]} entry
 * over its transports (TCP, UDP, RAET), attached to the router (behind shared observations), with one
 * {@link ExtensionRelay} passing Modify extensions between them. Runtime resources (paths below
 * {@code /#runtime}):
 * <ul>
 *   <li>{@code peers}: every peer, its transports' state and RTT (observable, every second)</li>
 *   <li>{@code peers/<id>}: one link's health and counters (observable, every second)</li>
 *   <li>{@code peers/<id>/extensions}: the extensions that peer sent which this gateway does not
 *       know (observable: a new reading on each arrival)</li>
 *   <li>{@code peers/<id>/modify}: POST {@code {"id":77,"pass":true,"text":"..."}} sends a Modify
 *       request to that peer ({@link ExtensionJson})</li>
 * </ul>
 *
 * <p>Each peer's transports are made under the security mode by {@link PeerTransports} (TLS on TCP,
 * keys bound to the peer's id on RAET; docs/security.md, "Peers").
 */
final class PeerAssembly implements AutoCloseable {
    private final List<PeerLink> links = new java.util.concurrent.CopyOnWriteArrayList<>();
    private EventLoopGroup group;

    /**
     * @throws IllegalArgumentException a key file is malformed (the message names it)
     * @throws java.io.UncheckedIOException a key file or a listening address cannot be used
     */
    void start(FerryConfig cfg, Router router, Inbound.Attacher attacher, RuntimeResources runtime, Metrics metrics) {
        if (cfg.peers().isEmpty()) {
            return;
        }
        PeerTransports transports = new PeerTransports(cfg, metrics); // keys loaded, mode open warned about
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        LinkOptions options = LinkOptions.defaults();
        ExtensionRelay relay = new ExtensionRelay(cfg.node().id(), runtime::changed);
        for (PeerConfig p : cfg.peers()) {
            PeerLink link = PeerLinks.fromConfig(p, cfg.node().id(), PeerLinks.mountFor(router.table(), p.id()),
                    group, options, transports.factory(p, group, options));
            link.exportMetrics(metrics);
            relay.add(link);
            link.startWith(attacher, relay);
            links.add(link);
            PeerMetrics.register(metrics, link);
            runtime.add(new RuntimeResource("peers/" + p.id(), g -> link.health().write(g), true, EVERY_SECOND));
            runtime.add(new RuntimeResource(ExtensionRelay.resourceName(p.id()), g -> relay.write(link, g), false,
                    "{\"verbs\":[\"GET\"],\"type\":\"j\",\"observable\":\"on each extension received\"}"));
            runtime.addAction(new RuntimeAction("peers/" + p.id() + "/modify",
                    "{\"verbs\":[\"POST\"],\"type\":\"j\",\"body\":{\"id\":\"uint32\",\"pass\":\"bool (default true)\","
                            + "\"data\":\"base64\",\"text\":\"UTF-8 (instead of data)\"}}",
                    body -> modify(relay, link, body, options.maxEnvelope() / 2)));
        }
        runtime.add(new RuntimeResource("peers", g -> {
            g.writeStartArray();
            for (PeerLink l : links) {
                l.health().writeSummary(g);
            }
            g.writeEndArray();
        }, true, EVERY_SECOND));
    }

    /** The link to peer {@code id}, or null (the router holds it wrapped for shared observations). */
    PeerLink link(String id) {
        for (PeerLink l : links) {
            if (l.config().id().equals(id)) {
                return l;
            }
        }
        return null;
    }

    private static final String EVERY_SECOND = "{\"verbs\":[\"GET\"],\"type\":\"j\",\"observable\":\"every second\"}";

    /** A user's Modify request to one peer: 400 for a bad body, 503 when the link refuses it. */
    private static RuntimeAction.Reply modify(ExtensionRelay relay, PeerLink link, byte[] body, int maxData) {
        Extension ext;
        try {
            ext = ExtensionJson.parse(body, maxData);
        } catch (IllegalArgumentException e) {
            return RuntimeAction.Reply.error(400, e.getMessage());
        }
        long seq = relay.send(link, ext);
        if (seq < 0) {
            return RuntimeAction.Reply.error(503, "peer " + link.config().id() + " is not live or its resend buffer"
                    + " is full; nothing was sent");
        }
        return RuntimeAction.Reply.ok(new String(Json.bytes(g -> {
            g.writeStartObject();
            g.writeBooleanField("sent", true);
            g.writeStringField("peer", link.config().id());
            g.writeStringField("origin", relay.localNode());
            g.writeNumberField("originSeq", seq);
            g.writeEndObject();
        }), StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        links.forEach(PeerLink::close);
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}

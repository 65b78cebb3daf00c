package dev.ferry.edge.app;

import dev.ferry.edge.config.DeviceConfig;
import dev.ferry.edge.config.FerryConfig;
import dev.ferry.edge.config.RouteConfig;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.observe.MaxAgeRules;
import dev.ferry.edge.observe.Observations;
import dev.ferry.edge.observe.ObservationsView;
import dev.ferry.edge.route.Endpoint;
import dev.ferry.edge.route.Inbound;
import dev.ferry.edge.route.Paths;
import dev.ferry.edge.route.Router;
import dev.ferry.edge.runtime.RuntimeResource;
import dev.ferry.edge.runtime.RuntimeResources;
import dev.ferry.rp.Decoded;
import dev.ferry.rp.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Shared observations for a configuration ({@code [observations]}): the hub, the attacher that
 * puts devices and peers behind it with their default max-age ({@code [[devices]] max_age_ms},
 * {@code [[routes]] max_age_ms}), and the runtime resource {@code /#runtime/observations}
 * (observable: pushed every second).
 */
final class ObservationAssembly implements AutoCloseable {
    private final FerryConfig cfg;
    private final Observations hub;

    ObservationAssembly(FerryConfig cfg, Router router, Metrics metrics, RuntimeResources runtime) {
        this.cfg = cfg;
        this.hub = new Observations(cfg.observations(), router, metrics);
        runtime.add(new RuntimeResource("observations", g -> ObservationsView.write(g, hub), true,
                "{\"verbs\":[\"GET\"],\"type\":\"j\",\"observable\":\"every second\"}"));
    }

    /** Attaches device and peer endpoints behind the hub. */
    Inbound.Attacher attacher() {
        return hub.attacher(this::rules);
    }

    Observations hub() {
        return hub;
    }

    /** The default max-age of {@code e}'s resources, from its device entry and the routes to it. */
    MaxAgeRules rules(Endpoint e) {
        long endpointDefault = -1;
        if (e.id().startsWith("device:")) {
            DeviceConfig d = cfg.device(e.id().substring(7)).orElse(null);
            if (d != null && d.maxAgeMs().isPresent()) {
                endpointDefault = d.maxAgeMs().getAsInt();
            }
        }
        Map<Path, Long> byPrefix = new HashMap<>();
        for (RouteConfig r : cfg.routes()) {
            if (r.maxAgeMs().isPresent() && r.to().toString().equals(e.id())) {
                Decoded<Path> image = Paths.rewrite(Path.of(r.prefix()), Path.of(r.strip()),
                        r.add().isEmpty() ? Path.ROOT : Path.of(r.add()));
                if (image.isOk()) {
                    byPrefix.put(image.value(), (long) r.maxAgeMs().getAsInt());
                }
            }
        }
        return endpointDefault < 0 && byPrefix.isEmpty() ? MaxAgeRules.NONE : new MaxAgeRules(endpointDefault, byPrefix);
    }

    @Override
    public void close() {
        hub.close();
    }
}

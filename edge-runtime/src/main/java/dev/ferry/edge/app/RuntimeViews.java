package dev.ferry.edge.app;

import dev.ferry.bridge.device.DeviceIdentity;
import dev.ferry.bridge.device.DeviceState;
import dev.ferry.edge.cli.Version;
import dev.ferry.edge.config.FerryConfig;
import dev.ferry.edge.http.OpenApi;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.route.Route;
import dev.ferry.edge.route.Router;
import dev.ferry.edge.runtime.RuntimeResource;
import dev.ferry.edge.runtime.DeviceCatalog;
import dev.ferry.edge.runtime.RuntimeResources;
import dev.ferry.edge.serial.SerialLines;
import dev.ferry.rp.Path;
import java.util.Map;

/**
 * The runtime resources every Ferry serves: routes, metrics, node and the OpenAPI description
 * (devices and lines are added by the bridge wiring).
 */
final class RuntimeViews {
    private RuntimeViews() { }

    /**
     * The device catalog ({@link DeviceCatalog}, attached to {@code router}) and
     * {@code /#runtime/openapi.json} built from it, pushed to observers whenever a device's
     * resources become known or it detaches.
     */
    static DeviceCatalog openApi(RuntimeResources runtime, Router router, FerryConfig cfg) {
        DeviceCatalog catalog = new DeviceCatalog(() -> runtime.changed("openapi.json"));
        catalog.start(router);
        runtime.add(new RuntimeResource("openapi.json", g -> OpenApi.write(g, cfg.node().id(), Version.get(),
                catalog.devices(), runtime.resources()), false,
                "{\"verbs\":[\"GET\"],\"type\":\"j\",\"observable\":\"when a device attaches or detaches\"}"));
        return catalog;
    }

    /** Keeps {@code catalog} in step with the devices' states. */
    static SerialLines.Lifecycle catalogOf(DeviceCatalog catalog, FerryConfig cfg) {
        return (session, from, to, reason) -> {
            if (to == DeviceState.ATTACHED) {
                var id = session.identity();
                catalog.attached(session.name(), Path.of(cfg.device(session.name()).orElseThrow().mount()),
                        id.map(DeviceIdentity::board).orElse(""), id.map(DeviceIdentity::fw).orElse(""));
            } else if (from == DeviceState.ATTACHED) {
                catalog.detached(session.name());
            }
        };
    }

    static void register(RuntimeResources runtime, Router router, Metrics metrics, FerryConfig cfg) {
        runtime.add(new RuntimeResource("routes", g -> {
            g.writeStartArray();
            for (Route r : router.table().routes()) {
                g.writeStartObject();
                g.writeStringField("prefix", r.prefix().toString());
                g.writeStringField("to", r.target());
                g.writeStringField("strip", r.strip().toString());
                g.writeStringField("add", r.add().toString());
                g.writeEndObject();
            }
            g.writeEndArray();
        }, false, "{\"verbs\":[\"GET\"],\"type\":\"j\",\"items\":{\"prefix\":\"path\",\"to\":\"endpoint\"}}"));
        runtime.add(new RuntimeResource("metrics", g -> {
            g.writeStartObject();
            for (Map.Entry<String, Long> e : metrics.snapshot().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        }, true, "{\"verbs\":[\"GET\"],\"type\":\"j\",\"observable\":\"every second\"}"));
        runtime.add(new RuntimeResource("node", g -> {
            g.writeStartObject();
            g.writeStringField("id", cfg.node().id());
            g.writeStringField("config", cfg.source());
            g.writeEndObject();
        }, false, "{\"verbs\":[\"GET\"],\"type\":\"j\"}"));
    }
}

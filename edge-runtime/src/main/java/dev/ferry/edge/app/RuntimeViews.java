package dev.ferry.edge.app;

import dev.ferry.edge.config.FerryConfig;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.route.Route;
import dev.ferry.edge.route.Router;
import dev.ferry.edge.runtime.RuntimeResource;
import dev.ferry.edge.runtime.RuntimeResources;
import java.util.Map;

/** The runtime resources every Ferry serves: routes and metrics (devices and lines are added by the bridge wiring). */
final class RuntimeViews {
    private RuntimeViews() { }

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

package dev.ferry.edge.northbound;

import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.runtime.RuntimeResource;
import dev.ferry.edge.runtime.RuntimeResources;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /#runtime/northbound}: connection state, queue depth and bytes, published, replayed and
 * dropped (by reason) counts, and each group's state. Pushed to observers every tick.
 */
public final class NorthboundView {
    private NorthboundView() { }

    public static void register(RuntimeResources runtime, Metrics metrics, Northbound nb) {
        runtime.add(new RuntimeResource("northbound", g -> {
            EdgeSession s = nb.session();
            g.writeStartObject();
            g.writeStringField("mode", nb.config().mode().name().toLowerCase(Locale.ROOT));
            g.writeStringField("broker", nb.config().broker().host() + ":" + nb.config().broker().port());
            g.writeBooleanField("tls", nb.config().tls());
            g.writeStringField("state", s.state().name().toLowerCase(Locale.ROOT));
            g.writeStringField("last_error", s.lastError());
            g.writeNumberField("failures", s.failures());
            g.writeNumberField("retry_at_ms", s.retryAtMs());
            g.writeNumberField("bd_seq", s.bdSeq());
            g.writeNumberField("born_at_ms", s.bornAtMs());
            g.writeNumberField("attach_to_birth_ms", nb.lastBirthLatencyMs());
            g.writeObjectFieldStart("queue");
            g.writeNumberField("messages", s.queue().depth());
            g.writeNumberField("bytes", s.queue().bytes());
            g.writeNumberField("max_bytes", s.queue().maxBytes());
            g.writeStringField("full", nb.config().queueFull().name().toLowerCase(Locale.ROOT));
            g.writeStringField("fsync", nb.config().queueFsync().name().toLowerCase(Locale.ROOT));
            g.writeEndObject();
            g.writeNumberField("published", metrics.value("ferry_northbound_published_total"));
            g.writeNumberField("replayed", metrics.value("ferry_northbound_replayed_total"));
            g.writeObjectFieldStart("dropped");
            String prefix = "ferry_northbound_dropped_total{reason=\"";
            for (Map.Entry<String, Long> e : metrics.snapshot().entrySet()) {
                if (e.getKey().startsWith(prefix)) {
                    g.writeNumberField(e.getKey().substring(prefix.length(), e.getKey().length() - 2), e.getValue());
                }
            }
            g.writeEndObject();
            g.writeArrayFieldStart("devices");
            for (Group d : nb.groups()) {
                g.writeStartObject();
                g.writeStringField("name", d.name);
                g.writeBooleanField("attached", d.attached);
                g.writeBooleanField("born", d.established);
                g.writeNumberField("metrics", d.values.size());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }, true, "{\"verbs\":[\"GET\"],\"type\":\"j\",\"observable\":\"every second\"}"));
    }
}

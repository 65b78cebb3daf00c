package dev.ferry.edge.northbound;

import dev.ferry.edge.config.NorthboundConfig;
import dev.ferry.edge.runtime.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Plain MQTT for users without Sparkplug. Under {@code <prefix>/<node>/}:
 * <ul>
 * <li>{@code status}: {@code online} / {@code offline} (retained; {@code offline} is the Will);</li>
 * <li>{@code <path>} (the RP path without its leading '/', e.g. {@code dev0/sensors/temp}):
 *     {@code {"ts":<ms>,"value":<the resource's JSON body>,"historical":false}}, retained; the
 *     retained values are published again when a session starts; replayed values are
 *     {@code "historical":true}, QoS 1 and not retained (so they never replace a newer value);</li>
 * <li>{@code device/<name>}: {@code {"online":true|false,"ts":<ms>}} (retained);</li>
 * <li>{@code cmd/put/<path>}, {@code cmd/post/<path>}: commands (the payload is the body; JSON
 *     when it parses as JSON, text otherwise); {@code result/<path>}: their results
 *     {@code {"verb","path","status","body"}}, also sent to an MQTT 5 Response Topic with its
 *     Correlation Data when the command has one.</li>
 * </ul>
 */
final class PlainWire implements Wire {
    private final NorthboundConfig cfg;
    private final String base;

    PlainWire(NorthboundConfig cfg) {
        this.cfg = cfg;
        this.base = cfg.topicPrefix() + "/" + cfg.edgeNodeId() + "/";
    }

    String base() {
        return base;
    }

    @Override
    public List<String> subscriptions() {
        return List.of(base + "cmd/#");
    }

    @Override
    public MqttLink.Will will(long bdSeq) {
        return new MqttLink.Will(base + "status", bytes("offline"), 1, true);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public List<Out> sessionBirth(long bdSeq, Collection<Group> established, long now) {
        List<Out> out = new ArrayList<>();
        out.add(new Out(base + "status", bytes("online"), 1, true, false));
        for (Group g : established) {
            out.add(new Out(base + "device/" + g.name, groupBirth(g, now), 1, true, false));
            for (Resource r : g.resources) {
                if (r.lastBody != null) {
                    out.add(new Out(base + r.path.toString().substring(1), value(r.lastMs, r.lastType,
                            r.lastBody, false), cfg.qos(), true, false));
                }
            }
        }
        return out;
    }

    @Override
    public Out sessionDeath(long bdSeq) {
        return new Out(base + "status", bytes("offline"), 1, true, false);
    }

    @Override
    public byte[] groupBirth(Group g, long now) {
        return bytes("{\"online\":true,\"ts\":" + now + "}");
    }

    @Override
    public byte[] groupDeath(Group g, long now) {
        return bytes("{\"online\":false,\"ts\":" + now + "}");
    }

    @Override
    public byte[] data(Resource r, Map<String, MetricValue> changed, long producedMs) {
        byte[] type = bytes(r.lastType == null ? "j" : r.lastType);
        byte[] out = new byte[1 + type.length + r.lastBody.length];
        out[0] = (byte) type.length;
        System.arraycopy(type, 0, out, 1, type.length);
        System.arraycopy(r.lastBody, 0, out, 1 + type.length, r.lastBody.length);
        return out;
    }

    @Override
    public String key(Resource r) {
        return r.path.toString();
    }

    @Override
    public List<Out> finish(DiskQueue.Entry e, boolean historical, long now) {
        if (e.kind() != DATA) {
            return List.of(new Out(base + "device/" + e.key(), e.payload(), 1, true, false));
        }
        byte[] p = e.payload();
        int tl = p.length == 0 ? 0 : p[0];
        String type = new String(p, 1, tl, StandardCharsets.UTF_8);
        byte[] body = java.util.Arrays.copyOfRange(p, 1 + tl, p.length);
        return List.of(new Out(base + e.key().substring(1), value(e.producedMs(), type, body, historical),
                historical ? 1 : cfg.qos(), !historical, true));
    }

    /** Plain topics have no births: a replayed value stands on its own (historical, not retained). */
    @Override
    public List<Out> historyDone(long now) {
        return List.of();
    }

    /** {@code {"ts":..,"value":..,"historical":..}}: JSON bodies as they are, others as a string. */
    static byte[] value(long ts, String type, byte[] body, boolean historical) {
        String raw = new String(body, StandardCharsets.UTF_8);
        return Json.bytes(g -> {
            g.writeStartObject();
            g.writeNumberField("ts", ts);
            g.writeFieldName("value");
            if ("j".equals(type) && !raw.isBlank()) {
                g.writeRawValue(raw);
            } else if ("o".equals(type)) {
                g.writeString(java.util.Base64.getEncoder().encodeToString(body));
            } else {
                g.writeString(raw);
            }
            g.writeBooleanField("historical", historical);
            g.writeEndObject();
        });
    }
}

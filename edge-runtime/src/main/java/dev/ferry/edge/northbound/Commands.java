package dev.ferry.edge.northbound;

import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.metrics.RemoteLog;
import dev.ferry.edge.proto.sparkplug.Metric;
import dev.ferry.edge.proto.sparkplug.Payload;
import dev.ferry.edge.runtime.Json;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Decoded;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Commands from the broker, on the engine thread. Sparkplug: NCMD {@code Node Control/Rebirth}
 * births again; DCMD {@code Device Control/Rebirth} re-sends one DBIRTH; any other DCMD metric
 * is written to the resource of that name under the device's mount, with PUT (POST where the
 * resource's schema accepts only POST) and the metric's value as a JSON body; the result is the
 * device's {@code Command/Status} (the RP status, 200 on success) and {@code Command/Last}
 * metrics in a DDATA, followed by the resource's new value. Plain: {@code cmd/put|post/<path>},
 * results on {@code result/<path>}. The router's NORTHBOUND rule decides what may be written; a
 * refusal is reported like any other failure (status 403). A DCMD for a device that is not
 * attached is not sent (a host must not command a device after its DDEATH): it is counted as
 * {@code device_offline} and logged; a result whose device died meanwhile is counted as dropped
 * ({@code result_device_offline}), since no DDATA may follow a DDEATH.
 */
final class Commands {
    /** One command in progress. */
    record Command(Group group, Resource resource, String name, Verb verb, Path path, String body,
                   String responseTopic, byte[] correlation) { }

    private final Map<String, Group> groups;
    private final Observer observer;
    private final Publisher publisher;
    private final Wire wire;
    private final EdgeSession session;
    private final Metrics metrics;

    /** {@code groups}: the endpoint's groups by name, read on the engine thread only. */
    Commands(Map<String, Group> groups, Observer observer, Publisher publisher, Wire wire,
             EdgeSession session, Metrics metrics) {
        this.groups = groups;
        this.observer = observer;
        this.publisher = publisher;
        this.wire = wire;
        this.session = session;
        this.metrics = metrics;
    }

    void inbound(String topic, byte[] payload, MqttProperties props) {
        if (wire instanceof SparkplugWire sp) {
            sparkplug(sp, topic, payload);
        } else if (wire instanceof PlainWire pw) {
            plain(pw, topic, payload, props);
        }
    }

    private void sparkplug(SparkplugWire sp, String topic, byte[] payload) {
        Payload p;
        try {
            p = Payload.parseFrom(payload);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            count("bad_payload");
            RemoteLog.warn("northbound:cmd", "northbound: unreadable command on {}", RemoteLog.excerpt(topic));
            return;
        }
        if (topic.equals(sp.topic("NCMD", null))) {
            for (Metric m : p.getMetricsList()) {
                if (m.getName().equals(SparkplugWire.REBIRTH) && m.getBooleanValue()) {
                    count("rebirth");
                    session.rebirth();
                } else {
                    count("unknown_metric");
                }
            }
            return;
        }
        String prefix = sp.topic("DCMD", "");
        Group g = topic.startsWith(prefix) ? groups.get(topic.substring(prefix.length())) : null;
        if (g == null) {
            count("unknown_device");
            RemoteLog.warn("northbound:cmd", "northbound: command for an unknown device on {}", RemoteLog.excerpt(topic));
            return;
        }
        if (!g.attached || !g.established) {
            count("device_offline");
            RemoteLog.warn("northbound:cmd-offline", "northbound: DCMD for {} ignored: the device is not attached"
                    + " (its DDEATH was sent)", RemoteLog.excerpt(g.name));
            return;
        }
        for (Metric m : p.getMetricsList()) {
            if (m.getName().equals("Device Control/Rebirth")) {
                count("rebirth");
                publisher.rebirth(g);
                continue;
            }
            String json = MetricValue.jsonOf(m);
            Resource r = g.resourceOf(m.getName());
            Decoded<Path> path = Path.parse((g.mount.toString().equals("/") ? "" : g.mount.toString()) + "/" + m.getName());
            if (json == null || !path.isOk() || m.getName().isEmpty()) {
                count("unsupported");
                commandResult(g, m.getName(), 400, "unsupported metric or value");
                continue;
            }
            Verb verb = r != null && r.schema.commandVerb().equals("POST") ? Verb.POST : Verb.PUT;
            send(new Command(g, r, m.getName(), verb, path.value(), json, null, null));
        }
    }

    private void plain(PlainWire pw, String topic, byte[] payload, MqttProperties props) {
        String cmd = pw.base() + "cmd/";
        String rest = topic.startsWith(cmd) ? topic.substring(cmd.length()) : "";
        int slash = rest.indexOf('/');
        String verbName = slash < 0 ? "" : rest.substring(0, slash);
        Verb verb = verbName.equals("put") ? Verb.PUT : verbName.equals("post") ? Verb.POST : null;
        Decoded<Path> path = slash < 0 ? null : Path.parse(rest.substring(slash));
        String body = new String(payload, StandardCharsets.UTF_8);
        String responseTopic = props == null ? null : props.getResponseTopic();
        byte[] correlation = props == null ? null : props.getCorrelationData();
        if (verb == null || path == null || !path.isOk()) {
            count("bad_topic");
            RemoteLog.warn("northbound:cmd", "northbound: command topic not cmd/put|post/<path>: {}",
                    RemoteLog.excerpt(topic));
            return;
        }
        send(new Command(null, resourceAt(path.value()), path.value().toString(), verb, path.value(), body,
                responseTopic, correlation));
    }

    /** The published resource at {@code path} (its new value is read after a command), or null. */
    private Resource resourceAt(Path path) {
        for (Group g : groups.values()) {
            for (Resource r : g.resources) {
                if (r.path.equals(path)) {
                    return r;
                }
            }
        }
        return null;
    }

    private void send(Command c) {
        byte[] body = c.body().getBytes(StandardCharsets.UTF_8);
        BodyType type = isJson(body) ? BodyType.JSON : BodyType.TEXT;
        observer.command(c, Message.builder(c.verb(), c.path(), Path.ROOT).body(type, body));
    }

    private static boolean isJson(byte[] body) {
        try {
            MetricValue.flatten("x", "j", body);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The outcome of a command: status (200 on success) and the reply's text. */
    void result(Command c, int status, String reply) {
        count(status < 300 ? "ok" : "error");
        if (c.group() != null) {
            commandResult(c.group(), c.verb() + " " + c.name() + " " + c.body(), status, reply);
            if (status < 300 && c.resource() != null) {
                observer.read(c.resource());
            }
            return;
        }
        byte[] json = Json.bytes(g -> {
            g.writeStartObject();
            g.writeStringField("verb", c.verb().name());
            g.writeStringField("path", c.path().toString());
            g.writeNumberField("status", status);
            g.writeStringField("body", reply.length() > 1024 ? reply.substring(0, 1024) : reply);
            g.writeEndObject();
        });
        PlainWire pw = (PlainWire) wire;
        boolean sent = session.publishNow(pw.base() + "result" + c.path(), json, 1, null);
        if (status < 300 && c.resource() != null) {
            observer.read(c.resource());     // its new value, published (retained) if it changed
        }
        if (c.responseTopic() != null && !c.responseTopic().isEmpty()) {
            MqttProperties props = new MqttProperties();
            props.setCorrelationData(c.correlation());
            sent &= session.publishNow(c.responseTopic(), json, 1, props);
        }
        if (!sent) {
            metrics.inc("ferry_northbound_dropped_total", "reason", "result_not_connected");
        }
    }

    private void commandResult(Group g, String what, int status, String reply) {
        Map<String, MetricValue> m = new LinkedHashMap<>();
        m.put(Group.COMMAND_STATUS, new MetricValue(MetricValue.INT32, (long) status));
        String text = status < 300 ? what : what + ": " + reply;
        m.put(Group.COMMAND_LAST, new MetricValue(MetricValue.STRING, text.length() > 200 ? text.substring(0, 200) : text));
        if (!publisher.commandMetrics(g, m)) {
            metrics.inc("ferry_northbound_dropped_total", "reason", "result_device_offline");
        }
    }

    private void count(String result) {
        metrics.inc("ferry_northbound_commands_total", "result", result);
    }
}

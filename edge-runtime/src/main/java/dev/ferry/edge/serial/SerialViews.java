package dev.ferry.edge.serial;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.ferry.bridge.bus.LineSnapshot;
import dev.ferry.bridge.device.DeviceCounters;
import dev.ferry.bridge.device.DeviceSnapshot;
import dev.ferry.bridge.device.LineRunner;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.runtime.RuntimeResource;
import dev.ferry.edge.runtime.RuntimeResources;
import dev.ferry.edge.sim.SimulatedMcu;
import dev.ferry.rp.DecodeError;
import java.io.IOException;
import java.util.Map;

/**
 * {@code /#runtime/devices} and {@code /#runtime/lines} (observable: pushed on every device state
 * change and every tick); the serial figures in {@link Metrics} are {@link SerialMetrics}'.
 * A simulated line's entry names its firmware process and how often it was restarted.
 */
public final class SerialViews {
    private SerialViews() { }

    /** Registers the resources and the metrics for {@code lines}. */
    public static void register(RuntimeResources runtime, Metrics metrics, SerialLines lines) {
        runtime.add(new RuntimeResource("devices", g -> devices(g, lines), false,
                "{\"verbs\":[\"GET\"],\"type\":\"j\",\"observable\":\"on state change\"}"));
        runtime.add(new RuntimeResource("lines", g -> lines(g, lines), true,
                "{\"verbs\":[\"GET\"],\"type\":\"j\",\"observable\":\"every second\"}"));
        SerialMetrics.register(metrics, lines);
        metrics.describe("ferry_sim_restarts_total", "Simulated MCU firmware processes restarted after they died");
        for (SimulatedMcu sim : lines.simulators()) {
            metrics.gauge(Metrics.key("ferry_sim_restarts_total", "device", sim.name()), sim::restarts);
        }
    }

    private static void devices(JsonGenerator g, SerialLines lines) throws IOException {
        g.writeStartArray();
        for (LineRunner r : lines.runners()) {
            for (DeviceSnapshot d : r.deviceSnapshots()) {
                g.writeStartObject();
                g.writeStringField("name", d.name());
                g.writeStringField("line", r.spec().port());
                g.writeStringField("line_name", lines.name(r));
                g.writeNumberField("address", d.address());
                g.writeStringField("state", d.state().name());
                if (d.identity().isPresent()) {
                    g.writeStringField("board", d.identity().get().board());
                    g.writeStringField("fw", d.identity().get().fw());
                }
                g.writeNumberField("protocol", r.session(d.name()).flatMap(s -> s.negotiated())
                        .map(p -> p.major()).orElse(0));
                g.writeNumberField("frame", d.frameSize());
                g.writeNumberField("window", d.window());
                g.writeNumberField("messages_in", d.messagesIn());
                g.writeNumberField("messages_out", d.messagesOut());
                g.writeNumberField("queued_out", d.queuedOut());
                g.writeNumberField("queued_in", d.queuedIn());
                g.writeNumberField("link_resets", d.linkResets());
                g.writeNumberField("retransmissions", d.link().retransmissions());
                g.writeNumberField("timeouts", d.link().timeouts());
                g.writeNumberField("discarded_from_device", d.link().iFramesDiscarded());
                g.writeNumberField("rnr_sent", d.link().rnrSent());
                g.writeNumberField("rnr_received", d.link().rnrReceived());
                g.writeNumberField("rejects", d.link().rejects());
                g.writeNumberField("frames_ignored", d.link().framesIgnored());
                g.writeNumberField("unmatched_answers", d.link().unmatchedAnswers());
                g.writeObjectFieldStart("drops");
                for (Map.Entry<DeviceCounters.Drop, Long> e : d.drops().entrySet()) {
                    g.writeNumberField(e.getKey().name().toLowerCase(java.util.Locale.ROOT), e.getValue());
                }
                g.writeEndObject();
                g.writeEndObject();
            }
        }
        g.writeEndArray();
    }

    private static void lines(JsonGenerator g, SerialLines lines) throws IOException {
        g.writeStartArray();
        for (LineRunner r : lines.runners()) {
            LineSnapshot s = r.lineSnapshot();
            g.writeStartObject();
            g.writeStringField("name", lines.name(r));
            g.writeStringField("port", s.port());
            g.writeStringField("state", s.state().name());
            g.writeNumberField("baud", r.spec().baud());
            g.writeNumberField("bytes_in", s.bytesIn());
            g.writeNumberField("bytes_out", s.bytesOut());
            g.writeNumberField("frames_good", s.framesGood());
            g.writeNumberField("frame_errors", s.frameErrorTotal());
            g.writeObjectFieldStart("frame_errors_by_kind");
            for (Map.Entry<DecodeError, Long> e : s.frameErrors().entrySet()) {
                g.writeNumberField(e.getKey().name(), e.getValue());
            }
            g.writeEndObject();
            g.writeNumberField("turns", s.turns());
            g.writeNumberField("unnumbered_polls", s.unnumberedPolls());
            g.writeNumberField("timeouts", s.timeouts());
            g.writeNumberField("retransmissions", s.retransmissions());
            g.writeNumberField("opens", s.opens());
            g.writeNumberField("failures", s.failures());
            for (SimulatedMcu sim : lines.simulators()) {
                if (sim.linkPath().toString().equals(r.spec().port())) {
                    g.writeObjectFieldStart("simulator");
                    g.writeNumberField("pid", sim.pid());
                    g.writeNumberField("restarts", sim.restarts());
                    g.writeEndObject();
                }
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}

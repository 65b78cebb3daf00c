package dev.ferry.edge.northbound;

import dev.ferry.edge.config.NorthboundConfig;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.metrics.RemoteLog;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Readings into queued records, on the engine thread: a value is flattened into metrics and
 * compared with the group's last ones; what changed is queued as data (plain mode: any change of
 * the raw body). A group is established (its DBIRTH can be built) once every resource gave a first
 * value or the birth wait ran out; a new metric or a changed type queues a new birth; a lost
 * device queues its death. Births and deaths are queued only while a session is open: the next
 * session's births carry the groups established then.
 */
final class Publisher {
    private final NorthboundConfig cfg;
    private final Metrics metrics;
    private final Wire wire;
    private final EdgeSession session;
    private volatile long lastBirthLatencyMs = -1;

    Publisher(NorthboundConfig cfg, Metrics metrics, Wire wire, EdgeSession session) {
        this.cfg = cfg;
        this.metrics = metrics;
        this.wire = wire;
        this.session = session;
    }

    /** A reading: flattened, compared with the last one, and what changed is queued. */
    void value(Resource r, Message m) {
        long now = System.currentTimeMillis();
        String type = m.bodyType().map(BodyType::token).orElse("j");
        Map<String, MetricValue> leaves;
        try {
            leaves = MetricValue.flatten(r.base, type, m.body());
        } catch (IOException e) {
            metrics.inc("ferry_northbound_dropped_total", "reason", "bad_value");
            RemoteLog.warn("northbound:value", "northbound: unreadable value of {}: {}", r.path,
                    RemoteLog.excerpt(e.getMessage()));
            return;
        }
        Group g = r.group;
        boolean rawChanged = !Arrays.equals(m.body(), r.lastBody);
        r.lastBody = m.body();
        r.lastType = type;
        r.lastMs = now;
        r.valueSeen = true;
        Map<String, MetricValue> changed = new LinkedHashMap<>();
        boolean newShape = false;
        for (Map.Entry<String, MetricValue> e : leaves.entrySet()) {
            MetricValue old = g.values.get(e.getKey());
            if (!e.getValue().equals(old)) {
                newShape |= old == null || old.datatype() != e.getValue().datatype();
                changed.put(e.getKey(), e.getValue());
                g.values.put(e.getKey(), e.getValue());
                g.times.put(e.getKey(), now);
                String unit = r.schema.unitOf(e.getKey());
                if (unit != null) {
                    g.units.put(e.getKey(), unit);
                }
            }
        }
        if (g.established) {
            if (newShape && session.born() && cfg.mode() == NorthboundConfig.Mode.SPARKPLUG) {
                session.append(Wire.BIRTH, g.name, now, wire.groupBirth(g, now));
            } else if (cfg.mode() == NorthboundConfig.Mode.PLAIN ? rawChanged : !changed.isEmpty()) {
                session.append(Wire.DATA, wire.key(r), now, wire.data(r, changed, now));
            }
        } else if (g.attached && g.allSeen()) {
            establish(g);
        }
    }

    /** Queues a group's data record for command metrics (Sparkplug) outside a reading; false if not established. */
    boolean commandMetrics(Group g, Map<String, MetricValue> changed) {
        long now = System.currentTimeMillis();
        changed.forEach((k, v) -> {
            g.values.put(k, v);
            g.times.put(k, now);
        });
        if (!g.established) {
            return false;
        }
        Resource any = g.resources.get(0);
        session.append(Wire.DATA, wire.key(any), now, wire.data(any, changed, now));
        return true;
    }

    /** A group's metrics are known: DBIRTH now if a session is open, else with the next births. */
    void establish(Group g) {
        g.established = true;
        lastBirthLatencyMs = (System.nanoTime() - g.attachedAtNanos) / 1_000_000;
        if (session.born()) {
            long now = System.currentTimeMillis();
            session.append(Wire.BIRTH, g.name, now, wire.groupBirth(g, now));
        }
    }

    /** A device birth asked for by a host (Device Control/Rebirth). */
    void rebirth(Group g) {
        if (g.established && session.born()) {
            long now = System.currentTimeMillis();
            session.append(Wire.BIRTH, g.name, now, wire.groupBirth(g, now));
        }
    }

    /** The group's device is gone: DDEATH (queued in a session; otherwise the next births leave it out). */
    void lost(Group g) {
        if (g.established) {
            g.established = false;
            if (session.born()) {
                long now = System.currentTimeMillis();
                session.append(Wire.DEATH, g.name, now, wire.groupDeath(g, now));
            }
        }
    }

    /** Milliseconds from the last device attach to its group being established (-1: none yet). */
    long lastBirthLatencyMs() {
        return lastBirthLatencyMs;
    }
}

package dev.ferry.edge.northbound;

import dev.ferry.edge.config.NorthboundConfig;
import dev.ferry.edge.proto.sparkplug.Metric;
import dev.ferry.edge.proto.sparkplug.Payload;
import dev.ferry.edge.proto.sparkplug.PropertySet;
import dev.ferry.edge.proto.sparkplug.PropertyValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Sparkplug B 3.0 on the wire: topics {@code spBv1.0/<group>/<type>/<edge node>[/<device>]},
 * NDEATH as the Will with the connect's bdSeq (QoS 1, not retained), NBIRTH with bdSeq and
 * {@code Node Control/Rebirth} (seq 0), a DBIRTH per established group with every metric (units
 * as the {@code engUnit} property), DDATA with the changed metrics, DDEATH; births and deaths at
 * QoS 0 as the specification says, data at the configured QoS, replayed data at QoS 1 with every
 * metric {@code is_historical}.
 *
 * <p>Per session it numbers every message after the NBIRTH (seq 1..255, 0, ...) and keeps
 * {@link SessionBirths}: a DDATA is sent only under a DBIRTH of the same session that defines all
 * its metrics. A record of a device with no such birth (lost while the broker was unreachable, or
 * not attached again after a restart, or whose metrics changed) gets a DBIRTH first, from the
 * device's last known values; once the replay of earlier sessions' records is over, a device born
 * only for it that is still not attached gets its DDEATH.
 */
final class SparkplugWire implements Wire {
    static final String NS = "spBv1.0";
    static final String REBIRTH = "Node Control/Rebirth";

    private final NorthboundConfig cfg;
    private final String base;
    private final Function<String, Group> groups;
    private final SessionBirths births = new SessionBirths();
    private int seq;

    /** {@code groups} finds a device's group by its Sparkplug device id (null when not configured). */
    SparkplugWire(NorthboundConfig cfg, Function<String, Group> groups) {
        this.cfg = cfg;
        this.base = NS + "/" + cfg.groupId() + "/";
        this.groups = groups;
    }

    String topic(String type, String device) {
        return base + type + "/" + cfg.edgeNodeId() + (device == null ? "" : "/" + device);
    }

    @Override
    public List<String> subscriptions() {
        List<String> t = new ArrayList<>(List.of(topic("NCMD", null), topic("DCMD", "+")));
        cfg.primaryHost().ifPresent(h -> t.add(NS + "/STATE/" + h));
        return t;
    }

    private static Metric bdSeq(long bdSeq, long now) {
        return Metric.newBuilder().setName("bdSeq").setTimestamp(now).setDatatype(MetricValue.INT64)
                .setLongValue(bdSeq).build();
    }

    @Override
    public MqttLink.Will will(long bdSeq) {
        long now = System.currentTimeMillis();
        byte[] p = Payload.newBuilder().setTimestamp(now).addMetrics(bdSeq(bdSeq, now)).build().toByteArray();
        return new MqttLink.Will(topic("NDEATH", null), p, 1, false);
    }

    @Override
    public List<Out> sessionBirth(long bdSeq, Collection<Group> established, long now) {
        List<Out> out = new ArrayList<>();
        Payload.Builder nb = Payload.newBuilder().setTimestamp(now).setSeq(0).addMetrics(bdSeq(bdSeq, now))
                .addMetrics(Metric.newBuilder().setName(REBIRTH).setTimestamp(now)
                        .setDatatype(MetricValue.BOOLEAN).setBooleanValue(false))
                .addMetrics(Metric.newBuilder().setName("Properties/Software").setTimestamp(now)
                        .setDatatype(MetricValue.STRING).setStringValue("ferry"));
        out.add(new Out(topic("NBIRTH", null), nb.build().toByteArray(), 0, false, false));
        seq = 1;
        births.reset();
        for (Group g : established) {
            Payload.Builder p = parse(groupBirth(g, now));
            births.born(g.name, p.getMetricsList(), false);
            out.add(new Out(topic("DBIRTH", g.name), p.setSeq(nextSeq()).build().toByteArray(), 0, false, false));
        }
        return out;
    }

    private int nextSeq() {
        int s = seq;
        seq = (seq + 1) & 0xFF;
        return s;
    }

    private static Payload.Builder parse(byte[] payload) {
        try {
            return Payload.parseFrom(payload).toBuilder();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("a payload this class built does not parse", e);
        }
    }

    @Override
    public Out sessionDeath(long bdSeq) {
        long now = System.currentTimeMillis();
        return new Out(topic("NDEATH", null), Payload.newBuilder().setTimestamp(now)
                .addMetrics(bdSeq(bdSeq, now)).build().toByteArray(), 0, false, false);
    }

    @Override
    public byte[] groupBirth(Group g, long now) {
        Payload.Builder p = Payload.newBuilder().setTimestamp(now);
        for (Map.Entry<String, MetricValue> e : g.values.entrySet()) {
            Metric.Builder m = e.getValue().into(Metric.newBuilder().setName(e.getKey())
                    .setTimestamp(g.times.getOrDefault(e.getKey(), now)));
            String unit = g.units.get(e.getKey());
            if (unit != null) {
                m.setProperties(PropertySet.newBuilder().addKeys("engUnit").addValues(
                        PropertyValue.newBuilder().setType(MetricValue.STRING).setStringValue(unit)));
            }
            p.addMetrics(m);
        }
        return p.build().toByteArray();
    }

    @Override
    public byte[] groupDeath(Group g, long now) {
        return Payload.newBuilder().setTimestamp(now).build().toByteArray();
    }

    @Override
    public byte[] data(Resource r, Map<String, MetricValue> changed, long producedMs) {
        Payload.Builder p = Payload.newBuilder().setTimestamp(producedMs);
        for (Map.Entry<String, MetricValue> e : changed.entrySet()) {
            p.addMetrics(e.getValue().into(Metric.newBuilder().setName(e.getKey()).setTimestamp(producedMs)));
        }
        return p.build().toByteArray();
    }

    @Override
    public String key(Resource r) {
        return r.group.name;
    }

    @Override
    public List<Out> finish(DiskQueue.Entry e, boolean historical, long now) throws IOException {
        Payload.Builder p = Payload.parseFrom(e.payload()).toBuilder().setTimestamp(now);
        String device = e.key();
        if (e.kind() == BIRTH) {
            births.born(device, p.getMetricsList(), false);
            return List.of(new Out(topic("DBIRTH", device), p.setSeq(nextSeq()).build().toByteArray(), 0, false,
                    false));
        }
        if (e.kind() == DEATH) {
            births.died(device);
            return List.of(new Out(topic("DDEATH", device), p.setSeq(nextSeq()).build().toByteArray(), 0, false,
                    false));
        }
        List<Out> out = new ArrayList<>(2);
        if (!births.covers(device, p.getMetricsList())) {
            out.add(birthFor(device, p.getMetricsList(), now));
        }
        births.sent(device, p.getMetricsList());
        if (historical) {
            for (int i = 0; i < p.getMetricsCount(); i++) {
                p.setMetrics(i, p.getMetrics(i).toBuilder().setIsHistorical(true));
            }
        }
        out.add(new Out(topic("DDATA", device), p.setSeq(nextSeq()).build().toByteArray(), historical ? 1 : cfg.qos(),
                false, true));
        return out;
    }

    /**
     * A DBIRTH for a device whose data is about to be sent without a birth covering it: every
     * metric it had in this session, its group's current (or last known) values where it has a
     * group, and the record's own metrics where neither knows them or the type changed.
     */
    private Out birthFor(String device, List<Metric> record, long now) {
        Map<String, Metric> m = new LinkedHashMap<>();
        for (Metric x : births.metricsOf(device)) {
            m.put(x.getName(), x.toBuilder().clearIsHistorical().build());
        }
        Group g = groups.apply(device);
        if (g != null) {
            for (Metric x : parse(groupBirth(g, now)).getMetricsList()) {
                m.put(x.getName(), x);
            }
        }
        for (Metric x : record) {
            Metric known = m.get(x.getName());
            if (known == null || known.getDatatype() != x.getDatatype()) {
                m.put(x.getName(), x.toBuilder().clearIsHistorical().build());
            }
        }
        births.born(device, List.copyOf(m.values()), g == null || !g.established);
        Payload.Builder p = Payload.newBuilder().setTimestamp(now).addAllMetrics(m.values());
        return new Out(topic("DBIRTH", device), p.setSeq(nextSeq()).build().toByteArray(), 0, false, false);
    }

    @Override
    public List<Out> historyDone(long now) {
        List<Out> out = new ArrayList<>();
        for (String device : births.takeReplayOnly()) {
            Group g = groups.apply(device);
            if (g != null && g.established) {
                continue;        // attached again meanwhile: its own DBIRTH is queued
            }
            out.add(new Out(topic("DDEATH", device), Payload.newBuilder().setTimestamp(now).setSeq(nextSeq())
                    .build().toByteArray(), 0, false, false));
        }
        return out;
    }
}

package dev.ferry.edge.northbound;

import dev.ferry.edge.config.NorthboundConfig;
import dev.ferry.edge.proto.sparkplug.Metric;
import dev.ferry.edge.proto.sparkplug.Payload;
import dev.ferry.edge.proto.sparkplug.PropertySet;
import dev.ferry.edge.proto.sparkplug.PropertyValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Sparkplug B 3.0 on the wire: topics {@code spBv1.0/<group>/<type>/<edge node>[/<device>]},
 * NDEATH as the Will with the connect's bdSeq (QoS 1, not retained), NBIRTH with bdSeq and
 * {@code Node Control/Rebirth} (seq 0), a DBIRTH per established group with every metric (units
 * as the {@code engUnit} property), DDATA with the changed metrics, DDEATH; births and deaths at
 * QoS 0 as the specification says, data at the configured QoS, replayed data at QoS 1 with every
 * metric {@code is_historical}.
 */
final class SparkplugWire implements Wire {
    static final String NS = "spBv1.0";
    static final String REBIRTH = "Node Control/Rebirth";

    private final NorthboundConfig cfg;
    private final String base;

    SparkplugWire(NorthboundConfig cfg) {
        this.cfg = cfg;
        this.base = NS + "/" + cfg.groupId() + "/";
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
        int seq = 1;
        for (Group g : established) {
            Payload.Builder p = Payload.newBuilder();
            try {
                p.mergeFrom(groupBirth(g, now));
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
            out.add(new Out(topic("DBIRTH", g.name), p.setSeq(seq).build().toByteArray(), 0, false, false));
            seq = (seq + 1) & 0xFF;
        }
        return out;
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
    public Out finish(DiskQueue.Entry e, boolean historical, int seq, long now) throws IOException {
        Payload.Builder p = Payload.parseFrom(e.payload()).toBuilder().setSeq(seq).setTimestamp(now);
        String type = switch (e.kind()) {
            case BIRTH -> "DBIRTH";
            case DEATH -> "DDEATH";
            default -> "DDATA";
        };
        if (historical) {
            for (int i = 0; i < p.getMetricsCount(); i++) {
                p.setMetrics(i, p.getMetrics(i).toBuilder().setIsHistorical(true));
            }
        }
        int qos = e.kind() != DATA ? 0 : historical ? 1 : cfg.qos();
        return new Out(topic(type, e.key()), p.build().toByteArray(), qos, false, e.kind() == DATA);
    }

    @Override
    public boolean sequenced() {
        return true;
    }
}

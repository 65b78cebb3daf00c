package dev.ferry.edge.northbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.config.NorthboundConfig;
import dev.ferry.edge.proto.sparkplug.Metric;
import dev.ferry.edge.proto.sparkplug.Payload;
import dev.ferry.rp.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a strict Sparkplug host requires of a session, checked on the messages {@link SparkplugWire}
 * makes: seq numbers follow the NBIRTH; DDATA comes only under a DBIRTH of the session that
 * defines its metrics, also for a device lost during an outage (born for its replay, then DDEATH)
 * and for a device whose metrics changed.
 */
@Tag("small")
class SparkplugWireTest {
    private final Map<String, Group> groups = new HashMap<>();
    private final SparkplugWire wire = new SparkplugWire(NorthboundConfig.disabled("edge1"), groups::get);
    private long ids;

    private Group group(String name, boolean established) {
        Group g = new Group(name, "device:" + name, true);
        g.mount = Path.of("/" + name);
        g.resources.add(new Resource(Path.of("/" + name + "/sensors/temp"), g, "sensors/temp"));
        g.established = established;
        g.attached = established;
        groups.put(name, g);
        return g;
    }

    private DiskQueue.Entry data(Group g, Map<String, MetricValue> m) {
        m.forEach(g.values::put);
        return new DiskQueue.Entry(ids++, 1000, Wire.DATA, g.name, wire.data(g.resources.get(0), m, 1000));
    }

    private static Map<String, MetricValue> reading(long n) {
        Map<String, MetricValue> m = new LinkedHashMap<>();
        m.put("sensors/temp/n", new MetricValue(MetricValue.INT64, n));
        return m;
    }

    private static Payload payload(Wire.Out o) throws Exception {
        return Payload.parseFrom(o.payload());
    }

    private static String type(Wire.Out o) {
        return o.topic().split("/")[2];
    }

    /** Every message of a session in order, checked for seq and births as a strict host does. */
    private static void assertStrict(List<Wire.Out> session) throws Exception {
        Map<String, List<String>> born = new HashMap<>();
        int seq = -1;
        for (Wire.Out o : session) {
            Payload p = payload(o);
            String t = type(o);
            if (t.equals("NBIRTH")) {
                assertEquals(0, p.getSeq());
                seq = 0;
                continue;
            }
            assertEquals((seq + 1) & 0xFF, p.getSeq(), o.topic() + " seq");
            seq = (int) p.getSeq();
            String device = o.topic().split("/")[4];
            List<String> names = p.getMetricsList().stream().map(Metric::getName).toList();
            switch (t) {
                case "DBIRTH" -> born.put(device, names);
                case "DDEATH" -> assertTrue(born.remove(device) != null, "DDEATH of a born device");
                case "DDATA" -> assertTrue(born.containsKey(device) && born.get(device).containsAll(names),
                        "DDATA of " + device + " " + names + " under its DBIRTH " + born.get(device));
                default -> { }
            }
        }
    }

    @Test
    void aDeviceLostDuringTheOutageIsBornForItsReplayAndDiesAfterIt() throws Exception {
        Group lost = group("dev0", false);
        List<DiskQueue.Entry> queued = List.of(data(lost, reading(1)), data(lost, reading(2)), data(lost, reading(3)));
        lost.values.put("sensors/temp/n", new MetricValue(MetricValue.INT64, 3L));
        List<Wire.Out> session = new ArrayList<>(wire.sessionBirth(7, List.of(), 2000));
        assertEquals(1, session.size(), "the NBIRTH only: the device is not attached");
        for (DiskQueue.Entry e : queued) {
            session.addAll(wire.finish(e, true, 2000));
        }
        session.addAll(wire.historyDone(2000));
        List<String> types = session.stream().map(SparkplugWireTest::type).toList();
        assertEquals(List.of("NBIRTH", "DBIRTH", "DDATA", "DDATA", "DDATA", "DDEATH"), types);
        Payload birth = payload(session.get(1));
        Metric n = birth.getMetricsList().stream().filter(m -> m.getName().equals("sensors/temp/n")).findFirst()
                .orElseThrow();
        assertEquals(3, n.getLongValue(), "the DBIRTH carries the last known value");
        assertTrue(payload(session.get(2)).getMetrics(0).getIsHistorical());
        assertEquals(1, session.get(2).qos(), "replay at QoS 1");
        assertEquals(0, session.get(1).qos(), "DBIRTH at QoS 0");
        assertStrict(session);
        assertEquals(List.of(), wire.historyDone(3000), "the DDEATH is sent once");
    }

    @Test
    void anAttachedDeviceNeedsNoExtraBirthAndAMetricNewToTheSessionGetsOne() throws Exception {
        Group g = group("dev0", true);
        g.values.put("sensors/temp/n", new MetricValue(MetricValue.INT64, 0L));
        List<Wire.Out> session = new ArrayList<>(wire.sessionBirth(1, List.of(g), 2000));
        session.addAll(wire.finish(data(g, reading(1)), true, 2000));
        assertEquals(List.of("NBIRTH", "DBIRTH", "DDATA"), session.stream().map(SparkplugWireTest::type).toList());
        session.addAll(wire.historyDone(2000));
        assertEquals(3, session.size(), "no DDEATH for an attached device");
        Map<String, MetricValue> wider = reading(2);
        wider.put("sensors/temp/c", new MetricValue(MetricValue.DOUBLE, 21.5));
        List<Wire.Out> next = wire.finish(data(g, wider), false, 2100);
        assertEquals(List.of("DBIRTH", "DDATA"), next.stream().map(SparkplugWireTest::type).toList(),
                "a metric the session's DBIRTH lacks gets a new DBIRTH first");
        session.addAll(next);
        session.addAll(wire.finish(data(g, reading(3)), false, 2200));
        assertEquals(6, session.size());
        assertStrict(session);
    }

    @Test
    void aDeviceAttachedAgainDuringTheReplayGetsNoDdeath() throws Exception {
        Group g = group("dev0", false);
        DiskQueue.Entry e = data(g, reading(1));
        List<Wire.Out> session = new ArrayList<>(wire.sessionBirth(2, List.of(), 2000));
        session.addAll(wire.finish(e, true, 2000));
        g.established = true;     // attached and established meanwhile: its own DBIRTH is queued
        g.attached = true;
        session.addAll(wire.historyDone(2000));
        assertFalse(session.stream().anyMatch(o -> type(o).equals("DDEATH")));
        session.addAll(wire.finish(new DiskQueue.Entry(ids++, 2001, Wire.BIRTH, "dev0", wire.groupBirth(g, 2001)),
                false, 2001));
        session.addAll(wire.finish(data(g, reading(2)), false, 2002));
        assertStrict(session);
    }

    @Test
    void aRebirthStartsTheLedgerAgain() throws Exception {
        Group lost = group("dev0", false);
        DiskQueue.Entry a = data(lost, reading(1));
        DiskQueue.Entry b = data(lost, reading(2));
        List<Wire.Out> first = new ArrayList<>(wire.sessionBirth(3, List.of(), 2000));
        first.addAll(wire.finish(a, true, 2000));
        List<Wire.Out> second = new ArrayList<>(wire.sessionBirth(3, List.of(), 2100));   // Node Control/Rebirth
        second.addAll(wire.finish(b, true, 2100));
        second.addAll(wire.historyDone(2100));
        assertEquals(List.of("NBIRTH", "DBIRTH", "DDATA", "DDEATH"), second.stream().map(SparkplugWireTest::type)
                .toList());
        assertStrict(second);
    }
}

package dev.ferry.edge.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class MetricsKeyTest {
    @Test
    void labelValuesAreEscapedAsTheTextFormatRequires() {
        assertEquals("f{port=\"/dev/x\\\"y\\\\z\\n\"}", Metrics.key("f", "port", "/dev/x\"y\\z\n"));
        assertEquals("f{a=\"1\",b=\"\"}", Metrics.key("f", "a", "1", "b", null));
        assertEquals("f", Metrics.key("f"));
        assertThrows(IllegalArgumentException.class, () -> Metrics.key("f", "a"));
        assertThrows(IllegalArgumentException.class, () -> Metrics.key("f", "1a", "x"));
        assertThrows(IllegalArgumentException.class, () -> Metrics.key("f", "a-b", "x"));
    }

    @Test
    void labelledIncrementsCountOneSeries() {
        Metrics m = new Metrics();
        m.inc("ferry_x_total", "reason", "a");
        m.inc("ferry_x_total", "reason", "a");
        m.inc("ferry_x_total", "reason", "b");
        assertEquals(2, m.value("ferry_x_total{reason=\"a\"}"));
        assertEquals(1, m.value("ferry_x_total{reason=\"b\"}"));
    }

    @Test
    void theNameSaysTheTypeAndKeysTheTextCannotCarryAreRefused() {
        Metrics m = new Metrics();
        assertThrows(IllegalArgumentException.class, () -> m.inc("ferry_x_dropped"), "a counter ends in _total");
        assertThrows(IllegalArgumentException.class, () -> m.inc("ferry_x_total{port=\"/dev/a\"b\"}"),
                "a label value built by hand, unescaped");
        assertThrows(IllegalArgumentException.class, () -> m.inc("ferry_x_total{port=\"a\\b\"}"), "a lone backslash");
        assertThrows(IllegalArgumentException.class, () -> m.inc("ferry_x_total{1a=\"b\"}"));
        assertThrows(IllegalArgumentException.class, () -> m.inc("ferry_x_total{}"));
        assertThrows(IllegalArgumentException.class, () -> m.counterOf("ferry-x_total", () -> 1));
        assertThrows(IllegalArgumentException.class, () -> m.counterOf("ferry_x", () -> 1));

        String key = Metrics.key("ferry_x_total", "port", "/dev/a\"b\\c", "kind", "crc");
        m.counter(key).add(2);                                    // a key made by key() is one series
        m.inc("ferry_x_total", "port", "/dev/a\"b\\c", "kind", "crc");
        assertEquals(3, m.value(key));
        m.gauge("ferry_sim_restarts_total", () -> 4, "device", "d");
        assertEquals(Metrics.Type.COUNTER, m.families().stream()
                .filter(f -> f.name().equals("ferry_sim_restarts_total")).findFirst().orElseThrow().type(),
                "a value read under a _total name is typed counter");
        assertEquals(Metrics.Type.COUNTER, Metrics.typeOf("ferry_x_total"));
        assertEquals(Metrics.Type.GAUGE, Metrics.typeOf("ferry_open"));
    }

    @Test
    void aSeriesCountedAtItsSourceIsNotReplacedByACollector() {
        Metrics m = new Metrics();
        m.counter("ferry_resi_resends_total", "peer", "b").add(7);
        m.collector("resi", out -> {
            out.counter("ferry_resi_resends_total", 1, "peer", "b");
            out.counter("ferry_resi_resends_total", 2, "peer", "c");
        });
        assertEquals(7, m.value("ferry_resi_resends_total", "peer", "b"));
        assertEquals(2, m.value("ferry_resi_resends_total", "peer", "c"));
    }

    @Test
    void collectorsAddSeriesAtSnapshotTimeAndOneThatFailsDoesNotSpoilTheRest() {
        Metrics m = new Metrics();
        long[] reads = {0};
        m.collector("line", out -> {
            reads[0]++;
            out.counter("ferry_line_bytes_in_total", 10 * reads[0], "port", "/dev/a");
            out.gauge("ferry_line_open", 1, "port", "/dev/a");
        });
        m.collector("broken", out -> {
            throw new IllegalStateException("boom");
        });
        m.inc("ferry_router_messages_total");
        java.util.List<Metrics.Family> fs = m.families();
        assertEquals(java.util.List.of("ferry_line_bytes_in_total", "ferry_line_open",
                "ferry_metrics_collector_errors_total", "ferry_router_messages_total"),
                fs.stream().map(Metrics.Family::name).toList());
        assertEquals(Metrics.Type.GAUGE, fs.get(1).type());
        assertEquals(10L, fs.get(0).samples().get("ferry_line_bytes_in_total{port=\"/dev/a\"}"));
        assertEquals(1, m.value("ferry_metrics_collector_errors_total", "collector", "broken"));
        assertEquals(20, m.value("ferry_line_bytes_in_total", "port", "/dev/a"), "read again, not cached");
        m.removeCollector("line");
        assertEquals(0, m.value("ferry_line_open", "port", "/dev/a"));
    }

    @Test
    void aCollectorThatEmitsABadNameIsCountedNotExposed() {
        Metrics m = new Metrics();
        m.collector("bad", out -> out.counter("ferry_bytes", 1));
        assertTrue(m.families().stream().noneMatch(f -> f.name().equals("ferry_bytes")));
        assertTrue(m.value("ferry_metrics_collector_errors_total", "collector", "bad") >= 1);
    }

    @Test
    void excerptsAreShortAndPrintable() {
        String huge = "n".repeat(200_000);
        String e = RemoteLog.excerpt(huge);
        assertTrue(e.length() < 100, e);
        assertTrue(e.endsWith("(200000 chars)"), e);
        assertEquals("a\\x0ab\\x00", RemoteLog.excerpt("a\nb\0"));
        assertEquals("null", RemoteLog.excerpt(null));
    }
}

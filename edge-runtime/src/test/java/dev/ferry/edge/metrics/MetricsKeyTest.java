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
    void excerptsAreShortAndPrintable() {
        String huge = "n".repeat(200_000);
        String e = RemoteLog.excerpt(huge);
        assertTrue(e.length() < 100, e);
        assertTrue(e.endsWith("(200000 chars)"), e);
        assertEquals("a\\x0ab\\x00", RemoteLog.excerpt("a\nb\0"));
        assertEquals("null", RemoteLog.excerpt(null));
    }
}

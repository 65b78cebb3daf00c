package dev.ferry.edge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.edge.metrics.Metrics;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class PrometheusTextTest {
    @Test
    void eachFamilyOnceWithHelpAndTypeEvenWhenNamesInterleave() {
        Metrics m = new Metrics();
        m.inc("a_total");
        m.gauge("a_total_x", () -> 2);      // sorts between a_total and a_total{...}
        m.counter("a_total", "reason", "q").add(3);
        m.gauge("open", () -> 4);
        m.describe("a_total", "Things done.\nSecond line, a \\ backslash.");
        m.describe("open", "Open now.");
        m.describe("a_total_x", "Other.");
        String text = PrometheusText.format(m.families());
        assertEquals("# HELP a_total Things done.\\nSecond line, a \\\\ backslash.\n# TYPE a_total counter\n"
                + "a_total 1\na_total{reason=\"q\"} 3\n"
                + "# HELP a_total_x Other.\n# TYPE a_total_x gauge\na_total_x 2\n"
                + "# HELP open Open now.\n# TYPE open gauge\nopen 4\n", text);
    }

    @Test
    void labelValuesFromConfigCannotBreakTheText() {
        Metrics m = new Metrics();
        m.counterOf("ferry_line_bytes_in_total", () -> 7, "port", "/dev/tty\"x\\y\nz");
        assertEquals("# TYPE ferry_line_bytes_in_total counter\n"
                + "ferry_line_bytes_in_total{port=\"/dev/tty\\\"x\\\\y\\nz\"} 7\n", PrometheusText.format(m.families()));
    }
}

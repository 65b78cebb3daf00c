package dev.ferry.edge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class PrometheusTextTest {
    @Test
    void oneTypeLinePerFamilyEvenWhenNamesInterleave() {
        TreeMap<String, Long> s = new TreeMap<>();
        s.put("a_total", 1L);
        s.put("a_total_x", 2L);   // sorts between a_total and a_total{...}
        s.put("a_total{reason=\"q\"}", 3L);
        s.put("open", 4L);
        assertEquals("# TYPE a_total counter\na_total 1\na_total{reason=\"q\"} 3\n"
                + "# TYPE a_total_x gauge\na_total_x 2\n# TYPE open gauge\nopen 4\n", PrometheusText.format(s));
    }
}

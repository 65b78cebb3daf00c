package dev.ferry.edge.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prometheus text exposition format 0.0.4 for a {@code Metrics.snapshot()}: one {@code # TYPE}
 * line per base name (the name without its {@code {labels}}), {@code counter} when the base name
 * ends in {@code _total}, {@code gauge} otherwise, followed by that family's samples.
 */
final class PrometheusText {
    /** The Content-Type of the exposition. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() { }

    static String format(Map<String, Long> snapshot) {
        Map<String, List<String>> families = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : snapshot.entrySet()) {
            String name = e.getKey();
            int brace = name.indexOf('{');
            String base = brace < 0 ? name : name.substring(0, brace);
            families.computeIfAbsent(base, b -> new ArrayList<>()).add(name + " " + e.getValue());
        }
        StringBuilder sb = new StringBuilder(snapshot.size() * 48);
        families.forEach((base, samples) -> {
            sb.append("# TYPE ").append(base).append(base.endsWith("_total") ? " counter\n" : " gauge\n");
            samples.forEach(s -> sb.append(s).append('\n'));
        });
        return sb.toString();
    }
}

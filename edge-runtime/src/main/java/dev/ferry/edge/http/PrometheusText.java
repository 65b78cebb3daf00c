package dev.ferry.edge.http;

import dev.ferry.edge.metrics.Metrics;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prometheus text exposition format 0.0.4 for {@link Metrics#families()}: per family a
 * {@code # HELP} line (when the family was described), a {@code # TYPE} line ({@code counter}
 * for the {@code _total} families, {@code gauge} otherwise), then its series. Every family's
 * series are together and each family appears once; names and escaped label values come from
 * {@link Metrics#key}, so the text is valid whatever a label value holds. Pure.
 *
 * <p>Written by hand rather than with the Prometheus Java client: see "Metrics exposition" in
 * {@code docs/benchmarks.md} for the measurement behind that choice.
 */
public final class PrometheusText {
    /** The Content-Type of the exposition. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() { }

    /** The exposition of {@code families}. */
    public static String format(List<Metrics.Family> families) {
        StringBuilder sb = new StringBuilder(families.size() * 160);
        for (Metrics.Family f : families) {
            if (f.help() != null) {
                sb.append("# HELP ").append(f.name()).append(' ');
                escapeHelp(sb, f.help());
                sb.append('\n');
            }
            sb.append("# TYPE ").append(f.name()).append(' ')
                    .append(f.type().name().toLowerCase(Locale.ROOT)).append('\n');
            for (Map.Entry<String, Long> s : f.samples().entrySet()) {
                sb.append(s.getKey()).append(' ').append(s.getValue().longValue()).append('\n');
            }
        }
        return sb.toString();
    }

    /** HELP text escapes only backslash and newline. */
    private static void escapeHelp(StringBuilder sb, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
    }
}

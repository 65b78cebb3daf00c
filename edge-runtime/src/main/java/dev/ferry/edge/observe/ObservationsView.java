package dev.ferry.edge.observe;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.ferry.edge.route.Paths;
import dev.ferry.rp.Path;
import java.io.IOException;
import java.util.Map;

/**
 * {@code /#runtime/observations}: one object per shared observation, in the host namespace:
 *
 * <pre>
 * {"endpoint":"device:dev0","resource":"/dev0/sensors/temp","params":"","state":"OPEN",
 *  "upstream":"/dev0/sensors/temp#streams/3","upstream_paused":false,
 *  "subscribers":{"lan":220,"peer:gw-b":1},"paused":0,"updates":812,"opens":1,
 *  "drops":{"paused":3},"last_value_age_ms":140,"stale":false,"lingering":false}
 * </pre>
 *
 * {@code subscribers} counts them by the router endpoint they came through; {@code upstream} is
 * the MCU's (or the peer's) stream path, null until its first reply; {@code last_value_age_ms} is
 * -1 before the first value. Then {@code "cache":{"entries":n,"bytes":n}} in a trailing object.
 */
public final class ObservationsView {
    /** One row, taken under the observation's lock. */
    record Row(String endpoint, Path mount, Path path, String params, String state, Path upstream,
               boolean upstreamPaused, Map<String, Integer> subscribers, int paused, long updates, long opens,
               Map<String, Long> drops, long lastValueAgeMs, boolean stale, boolean lingering) { }

    private ObservationsView() { }

    /** Writes the view of {@code hub}. */
    public static void write(JsonGenerator g, Observations hub) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("observations");
        for (SharedEndpoint e : hub.endpoints()) {
            for (Row r : e.subscriptions().rows()) {
                row(g, r);
            }
        }
        g.writeEndArray();
        g.writeNumberField("subscribers", hub.subscribers());
        g.writeObjectFieldStart("cache");
        g.writeNumberField("entries", hub.cache().size());
        g.writeNumberField("bytes", hub.cache().bytes());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void row(JsonGenerator g, Row r) throws IOException {
        g.writeStartObject();
        g.writeStringField("endpoint", r.endpoint());
        g.writeStringField("resource", host(r.mount(), r.path()));
        g.writeStringField("params", r.params().length() <= 64 ? r.params() : r.params().substring(0, 64) + "...");
        g.writeStringField("state", r.state());
        if (r.upstream() == null) {
            g.writeNullField("upstream");
        } else {
            g.writeStringField("upstream", host(r.mount(), r.upstream()));
        }
        g.writeBooleanField("upstream_paused", r.upstreamPaused());
        g.writeObjectFieldStart("subscribers");
        for (Map.Entry<String, Integer> k : r.subscribers().entrySet()) {
            g.writeNumberField(k.getKey(), k.getValue());
        }
        g.writeEndObject();
        g.writeNumberField("paused", r.paused());
        g.writeNumberField("updates", r.updates());
        g.writeNumberField("opens", r.opens());
        g.writeObjectFieldStart("drops");
        for (Map.Entry<String, Long> d : new java.util.TreeMap<>(r.drops()).entrySet()) {
            g.writeNumberField(d.getKey(), d.getValue());
        }
        g.writeEndObject();
        g.writeNumberField("last_value_age_ms", r.lastValueAgeMs());
        g.writeBooleanField("stale", r.stale());
        g.writeBooleanField("lingering", r.lingering());
        g.writeEndObject();
    }

    private static String host(Path mount, Path p) {
        var d = Paths.under(mount, p);
        return d.isOk() ? d.value().toString() : p.toString();
    }
}

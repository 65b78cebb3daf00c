package dev.ferry.edge.northbound;

import dev.ferry.edge.proto.sparkplug.Metric;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The devices that have a DBIRTH in the current Sparkplug session, each with the metrics its
 * birth defined (name, datatype, the last value sent). Sparkplug 3.0 (5.x, "Device Session
 * Establishment" and "Data Publish") lets DDATA follow only a DBIRTH of the same session that
 * defined every metric in it; host applications drop anything else. This ledger says when a
 * record needs a birth first, and which devices were born only to carry replayed (historical)
 * data of a device that is no longer attached, so that their replay can be closed with a DDEATH.
 * One per session ({@link #reset()}); engine thread only.
 */
final class SessionBirths {
    private final Map<String, Map<String, Metric>> born = new HashMap<>();
    private final Set<String> replayOnly = new LinkedHashSet<>();

    /** A new session: nothing is born. */
    void reset() {
        born.clear();
        replayOnly.clear();
    }

    /** A DBIRTH for {@code device} with {@code metrics} was sent; {@code forReplay}: only for history. */
    void born(String device, List<Metric> metrics, boolean forReplay) {
        Map<String, Metric> m = new LinkedHashMap<>();
        for (Metric x : metrics) {
            m.put(x.getName(), x);
        }
        born.put(device, m);
        if (forReplay) {
            replayOnly.add(device);
        } else {
            replayOnly.remove(device);
        }
    }

    /** A DDEATH for {@code device} was sent. */
    void died(String device) {
        born.remove(device);
        replayOnly.remove(device);
    }

    /** Whether {@code device} has a birth in this session that defines every one of {@code metrics}. */
    boolean covers(String device, List<Metric> metrics) {
        Map<String, Metric> b = born.get(device);
        if (b == null) {
            return false;
        }
        for (Metric x : metrics) {
            Metric d = b.get(x.getName());
            if (d == null || d.getDatatype() != x.getDatatype()) {
                return false;
            }
        }
        return true;
    }

    /** DDATA with {@code metrics} was sent for a born device: they are its latest values. */
    void sent(String device, List<Metric> metrics) {
        Map<String, Metric> b = born.get(device);
        if (b != null) {
            for (Metric x : metrics) {
                b.put(x.getName(), x);
            }
        }
    }

    /** The metrics of {@code device}'s birth with the latest values sent (empty if not born). */
    List<Metric> metricsOf(String device) {
        Map<String, Metric> b = born.get(device);
        return b == null ? List.of() : new ArrayList<>(b.values());
    }

    /** The devices born only for their replay, in birth order; they are forgotten here. */
    List<String> takeReplayOnly() {
        List<String> out = new ArrayList<>(replayOnly);
        for (String d : out) {
            born.remove(d);
        }
        replayOnly.clear();
        return out;
    }
}

package dev.ferry.edge.northbound;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The published resources served by one endpoint: a Sparkplug device (a local MCU, named as in
 * {@code [[devices]]}, or a peer or other endpoint, named by its id). It is established (its
 * DBIRTH can be built) once every resource gave a first value or the birth wait ran out; its
 * metrics are the last values produced, in first-seen order. Touched on the engine thread only.
 */
final class Group {
    static final String COMMAND_STATUS = "Command/Status";
    static final String COMMAND_LAST = "Command/Last";

    final String name;
    final String endpointId;
    final boolean local;
    final List<Resource> resources = new ArrayList<>();
    /** Where a local device is mounted (its metric names are paths below it); the root otherwise. */
    dev.ferry.rp.Path mount = dev.ferry.rp.Path.ROOT;
    final Map<String, MetricValue> values = new LinkedHashMap<>();
    final Map<String, Long> times = new LinkedHashMap<>();
    final Map<String, String> units = new LinkedHashMap<>();
    boolean attached;
    boolean established;
    long attachedAtNanos;
    long birthDeadlineGen;

    Group(String name, String endpointId, boolean local) {
        this.name = name;
        this.endpointId = endpointId;
        this.local = local;
        resetCommandMetrics();
    }

    void resetCommandMetrics() {
        values.put(COMMAND_STATUS, new MetricValue(MetricValue.INT32, 0L));
        values.put(COMMAND_LAST, new MetricValue(MetricValue.STRING, ""));
        times.put(COMMAND_STATUS, System.currentTimeMillis());
        times.put(COMMAND_LAST, System.currentTimeMillis());
    }

    boolean allSeen() {
        return resources.stream().allMatch(r -> r.valueSeen);
    }

    Resource resourceOf(String metricName) {
        for (Resource r : resources) {
            if (r.base.equals(metricName)) {
                return r;
            }
        }
        return null;
    }
}

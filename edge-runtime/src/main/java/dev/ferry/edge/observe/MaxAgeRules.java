package dev.ferry.edge.observe;

import dev.ferry.edge.route.Paths;
import dev.ferry.rp.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The configured default max-age of one endpoint's resources: per path prefix in the endpoint's
 * namespace (from {@code [[routes]] max_age_ms}: the longest prefix wins) and for the whole
 * endpoint (from {@code [[devices]] max_age_ms}). A GET whose requester gave no max-age may be
 * answered from the cache when the value is at most this old. Immutable.
 */
public final class MaxAgeRules {
    /** No defaults: GETs without a max-age go to the endpoint. */
    public static final MaxAgeRules NONE = new MaxAgeRules(-1, Map.of());

    private record Rule(Path prefix, long ms) { }

    private final long endpointDefault;
    private final List<Rule> rules;

    /**
     * @param endpointDefault ms for every resource of the endpoint, or -1 for none
     * @param byPrefix        ms per path prefix in the endpoint's namespace
     */
    public MaxAgeRules(long endpointDefault, Map<Path, Long> byPrefix) {
        this.endpointDefault = endpointDefault;
        List<Rule> r = new ArrayList<>();
        byPrefix.forEach((p, ms) -> r.add(new Rule(p, ms)));
        r.sort(Comparator.comparingInt((Rule x) -> x.prefix.toString().length()).reversed());
        this.rules = List.copyOf(r);
    }

    /** The default max-age for {@code path} in ms, or -1 when none is configured. */
    public long forPath(Path path) {
        for (Rule r : rules) {
            if (Paths.covers(r.prefix, path)) {
                return r.ms;
            }
        }
        return endpointDefault;
    }
}

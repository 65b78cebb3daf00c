package dev.ferry.edge.route;

import dev.ferry.rp.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fixed known-route table: immutable once built, longest prefix wins. Lookup walks the
 * ancestors of a path (at {@code /} and {@code #} boundaries), so it costs one hash probe per
 * path segment whatever the table's size.
 */
public final class RouteTable {
    private final Map<String, Route> byPrefix;
    private final List<Route> routes;

    private RouteTable(List<Route> routes) {
        Map<String, Route> m = new HashMap<>();
        for (Route r : routes) {
            if (m.putIfAbsent(r.prefix().toString(), r) != null) {
                throw new IllegalArgumentException("two routes for prefix " + r.prefix());
            }
        }
        this.byPrefix = m;
        List<Route> sorted = new ArrayList<>(routes);
        sorted.sort((a, b) -> a.prefix().compareTo(b.prefix()));
        this.routes = Collections.unmodifiableList(sorted);
    }

    /**
     * A table of these routes.
     *
     * @throws IllegalArgumentException if two routes share a prefix (config validation reports
     *     this with file and line before it gets here)
     */
    public static RouteTable of(List<Route> routes) {
        return new RouteTable(routes);
    }

    /** The route for {@code to}: the one with the longest prefix covering it. */
    public Optional<Route> lookup(Path to) {
        String s = to.toString();
        Route r = byPrefix.get(s);
        int end = s.length();
        while (r == null && end > 0) {
            end = lastBoundary(s, end);
            if (end < 0) {
                break;
            }
            r = byPrefix.get(end == 0 ? "/" : s.substring(0, end));
        }
        return Optional.ofNullable(r);
    }

    private static int lastBoundary(String s, int end) {
        for (int i = end - 1; i >= 0; i--) {
            char c = s.charAt(i);
            if (c == '/' || c == '#') {
                return i == 0 && c == '#' ? -1 : i;
            }
        }
        return -1;
    }

    /** Every route, sorted by prefix. */
    public List<Route> routes() {
        return routes;
    }
}

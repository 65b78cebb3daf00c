package dev.ferry.edge.config;

import java.util.Objects;

/**
 * One route: messages whose {@code to} lies under {@link #prefix()} go to {@link #to()} with
 * {@link #strip()} removed from the front of the path and {@link #add()} put in its place. Paths
 * are in RP normal form. {@code strip} always covers {@code prefix} (it equals it or is a shorter
 * path prefix of it); {@code add} is empty when nothing is added.
 *
 * <p>Each device has an implicit route from its mount to itself (see
 * {@link FerryConfig#allRoutes()}); explicit {@code [[routes]]} add facades. Nested prefixes are
 * allowed (longest prefix wins). A route is <em>unreachable</em> exactly when another route (or
 * a device mount) has an identical prefix; the loader reports that as an error, so in a loaded
 * config all prefixes are distinct and every route is reachable.
 *
 * @param prefix where the route applies
 * @param to     the target
 * @param strip  path prefix removed (default: the prefix; for the runtime "/", nothing: the
 *               runtime answers at its absolute paths {@code /#runtime/...}, so a route to it
 *               leaves paths as they are unless it says otherwise)
 * @param add    path prefix added (default: none, "")
 */
public record RouteConfig(String prefix, RouteTarget to, String strip, String add) {
    public RouteConfig {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(strip, "strip");
        Objects.requireNonNull(add, "add");
    }
}

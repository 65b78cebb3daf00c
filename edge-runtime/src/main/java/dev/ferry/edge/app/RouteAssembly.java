package dev.ferry.edge.app;

import dev.ferry.edge.config.FerryConfig;
import dev.ferry.edge.config.PeerConfig;
import dev.ferry.edge.config.RouteConfig;
import dev.ferry.edge.route.Route;
import dev.ferry.edge.runtime.DeviceCatalog;
import dev.ferry.edge.route.RouteTable;
import dev.ferry.rp.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The route table a configuration implies: every device's mount and explicit route from the
 * config, plus the runtime's own prefixes — {@code /#runtime} and {@code /#requests} (the
 * runtime's resources and its own request paths), {@code /#lan} (LAN clients' return paths),
 * {@code /#catalog} (the device catalog's return paths), {@code /#peers/<id>} (return paths of
 * peers that have no route of their own) and {@code /#northbound} (the northbound publisher's
 * return paths, when enabled).
 */
final class RouteAssembly {
    static final Path LAN = Path.of("/#lan");

    private RouteAssembly() { }

    static RouteTable build(FerryConfig cfg) {
        List<Route> routes = new ArrayList<>();
        Set<String> prefixes = new HashSet<>();
        for (RouteConfig rc : cfg.allRoutes()) {
            Path add = rc.add().isEmpty() ? Path.ROOT : Path.of(rc.add());
            routes.add(new Route(Path.of(rc.prefix()), rc.to().toString(), Path.of(rc.strip()), add));
            prefixes.add(Path.of(rc.prefix()).toString());
        }
        addImplicit(routes, prefixes, new Route(Path.of("/#runtime"), "runtime", Path.ROOT, Path.ROOT));
        addImplicit(routes, prefixes, new Route(Path.of("/#requests"), "runtime", Path.ROOT, Path.ROOT));
        addImplicit(routes, prefixes, Route.mount(LAN, "lan"));
        addImplicit(routes, prefixes, DeviceCatalog.route());
        if (cfg.northbound().enabled()) {
            addImplicit(routes, prefixes, dev.ferry.edge.northbound.Northbound.route());
        }
        for (PeerConfig p : cfg.peers()) {
            addImplicit(routes, prefixes, Route.mount(peerMount(p.id()), "peer:" + p.id()));
        }
        return RouteTable.of(routes);
    }

    /** Where a peer's return paths live when it has no route of its own. */
    static Path peerMount(String peerId) {
        return Path.of("/#peers/" + peerId);
    }

    private static void addImplicit(List<Route> routes, Set<String> prefixes, Route r) {
        if (prefixes.add(r.prefix().toString())) {
            routes.add(r);
        }
    }
}

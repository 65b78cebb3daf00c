package dev.ferry.edge.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Checks that span entries: unique names, ports, mounts, prefixes and peer ids; devices on
 * existing lines with addresses unique per line; route targets that exist. A duplicate is
 * reported on the later entry, naming the earlier one's line.
 *
 * <p>Route reachability: with longest-prefix matching, a route can only be shadowed entirely by a
 * route with an identical prefix, so "unreachable" is exactly "prefix identical to another
 * route's prefix or to a device's mount", and that is what is reported.
 */
final class CrossChecks {
    private CrossChecks() {
    }

    static void check(List<Read<LineConfig>> lines, List<Read<DeviceConfig>> devices,
            List<Read<RouteConfig>> routes, List<Read<PeerConfig>> peers, Optional<Read<PeerConfig>> seedPeer) {
        unique(lines, l -> l.name(), "name", "line name", "");
        unique(lines.stream().filter(r -> r.value().port().isPresent()).toList(),
                l -> l.port().get(), "port", "port", "");
        unique(devices, d -> d.name(), "name", "device name", "");
        unique(devices, d -> d.mount(), "mount", "mount", "");
        devicesOnLines(lines, devices);
        Map<String, String> mounts = new HashMap<>();
        for (Read<DeviceConfig> d : devices) {
            mounts.putIfAbsent(d.value().mount(), d.value().name());
        }
        for (Read<RouteConfig> r : routes) {
            String device = mounts.get(r.value().prefix());
            if (device != null) {
                r.at().problem("prefix", Problems.render(r.value().prefix()), "a route prefix other than device \""
                        + device + "\"'s mount (identical prefixes make one unreachable)");
            }
        }
        unique(routes, r -> r.prefix(), "prefix", "route prefix", "; identical prefixes make one unreachable");
        if (seedPeer.isPresent()) {
            for (Read<PeerConfig> p : peers) {
                if (p.value().id().equals(PeerConfig.SEED_PEER_ID)) {
                    p.at().problem("id", Problems.render(p.value().id()),
                            "an id other than \"resi\", which the [Tcp] section uses");
                }
            }
        }
        unique(peers, p -> p.id(), "id", "peer id", "");
        targets(devices, routes, peers, seedPeer);
    }

    /**
     * A device's queue must hold a whole window of messages: the host grants a station only as
     * many frames in flight as it can take, so a queue shorter than the window would leave the
     * configured window unusable (the bus narrows it at link set-up and logs that).
     */
    static void queueHoldsWindow(Read<LimitsConfig> limits, List<Read<LineConfig>> lines) {
        int queue = limits.value().deviceQueue();
        for (Read<LineConfig> l : lines) {
            if (l.value().window() > queue) {
                limits.at().problem("device_queue", Integer.toString(queue), "at least " + l.value().window()
                        + ", the window of line \"" + l.value().name() + "\" (a device's queue holds a whole"
                        + " window of messages; raise device_queue or lower the window)");
                return;
            }
        }
    }

    private static void devicesOnLines(List<Read<LineConfig>> lines, List<Read<DeviceConfig>> devices) {
        List<String> names = lines.stream().map(l -> l.value().name()).toList();
        Map<String, Read<DeviceConfig>> byLineAddress = new HashMap<>();
        for (Read<DeviceConfig> d : devices) {
            DeviceConfig dev = d.value();
            if (dev.line().isEmpty()) {
                continue;
            }
            if (!names.contains(dev.line())) {
                d.at().problem("line", Problems.render(dev.line()),
                        "the name of a [[lines]] entry (" + oneOf(names) + ")");
                continue;
            }
            if (dev.address() == 0) {
                continue;
            }
            Read<DeviceConfig> first = byLineAddress.putIfAbsent(dev.line() + "\u0000" + dev.address(), d);
            if (first != null) {
                d.at().problem("address", Integer.toString(dev.address()), "an address not used by device \""
                        + first.value().name() + "\" (line " + line(first.at(), "address") + ") on line \""
                        + dev.line() + "\"");
            }
        }
    }

    private static void targets(List<Read<DeviceConfig>> devices, List<Read<RouteConfig>> routes,
            List<Read<PeerConfig>> peers, Optional<Read<PeerConfig>> seedPeer) {
        List<String> deviceNames = devices.stream().map(d -> d.value().name()).toList();
        List<String> peerIds = new java.util.ArrayList<>(peers.stream().map(p -> p.value().id()).toList());
        seedPeer.ifPresent(p -> peerIds.add(p.value().id()));
        for (Read<RouteConfig> r : routes) {
            RouteTarget to = r.value().to();
            if (to.kind() == RouteTarget.Kind.DEVICE && !deviceNames.contains(to.name())) {
                r.at().problem("to", Problems.render(to.toString()), "a device defined in [[devices]] ("
                        + oneOf(deviceNames) + ")");
            } else if (to.kind() == RouteTarget.Kind.PEER && !peerIds.contains(to.name())) {
                r.at().problem("to", Problems.render(to.toString()), "a peer defined in [[peers]] or [Tcp] ("
                        + oneOf(peerIds) + ")");
            }
        }
    }

    private interface Key<T> {
        String of(T value);
    }

    /** Reports each entry whose key equals an earlier entry's. Null keys are skipped. */
    private static <T> void unique(List<Read<T>> entries, Key<T> key, String field, String what, String note) {
        Map<String, Read<T>> seen = new HashMap<>();
        for (Read<T> e : entries) {
            String k = key.of(e.value());
            if (k == null || k.isEmpty()) {
                continue;
            }
            Read<T> first = seen.putIfAbsent(k, e);
            if (first != null) {
                e.at().problem(field, Problems.render(k), "a " + what + " not already used ("
                        + first.at().keyPath(field) + " on line " + line(first.at(), field) + " has it" + note + ")");
            }
        }
    }

    private static int line(TableReader at, String key) {
        return at.position(key) == null ? 0 : at.position(key).line();
    }

    private static String oneOf(List<String> names) {
        return names.isEmpty() ? "none defined"
                : "one of " + names.stream().map(Problems::render).collect(Collectors.joining(", "));
    }
}

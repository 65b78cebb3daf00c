package dev.ferry.edge.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads {@code [[devices]]} and {@code [[routes]]}, the checks local to one entry included. */
final class DeviceSection {
    private static final String RUNTIME = "/#runtime";
    private static final String REQUESTS = "/#requests";

    private DeviceSection() {
    }

    static List<Read<DeviceConfig>> devices(TableReader root) {
        List<Read<DeviceConfig>> out = new ArrayList<>();
        for (TableReader t : root.tables("devices", ConfigSchema.DEVICE)) {
            String name = t.requiredName("name");
            String line = t.required("line");
            int address = t.integer("address", 0, 1, 254);
            if (!t.has("address")) {
                t.problem("address", "nothing", "an integer in 1..254 (required)");
            }
            boolean hasMount = t.has("mount");
            String mount = t.optPath("mount", false).orElse("");
            if (!hasMount) {
                t.problem("mount", "nothing", "an RP path such as \"/dev0\" (required)");
            }
            Optional<String> mcu = t.optString("mcu_profile");
            if (mcu.isPresent() && !TableReader.NAME.matcher(mcu.get()).matches()) {
                t.problem("mcu_profile", Problems.render(mcu.get()), "an MCU profile name such as \"arduino-uno\"");
            }
            List<String> namespaces = t.strings("namespaces");
            t.finish();
            out.add(new Read<>(new DeviceConfig(name, line, address, mount, mcu, namespaces), t));
        }
        return out;
    }

    static List<Read<RouteConfig>> routes(TableReader root) {
        List<Read<RouteConfig>> out = new ArrayList<>();
        for (TableReader t : root.tables("routes", ConfigSchema.ROUTE)) {
            boolean hasPrefix = t.has("prefix");
            Optional<String> prefix = t.optPath("prefix", true);
            if (!hasPrefix) {
                t.problem("prefix", "nothing", "an RP path (required)");
            }
            RouteTarget to = target(t);
            Optional<String> strip = t.optPath("strip", true);
            Optional<String> add = t.optString("add");
            if (add.isPresent() && !add.get().isEmpty()) {
                add = t.optPath("add", true);
            }
            if (prefix.isPresent() && strip.isPresent() && !ConfigPaths.covers(strip.get(), prefix.get())) {
                t.problem("strip", Problems.render(strip.get()),
                        "a path prefix of the route's prefix " + Problems.render(prefix.get()));
            }
            // The runtime answers at its absolute paths (/#runtime/..., /#requests/...): a route to it
            // strips nothing unless told, so prefix = "/#runtime" reaches /#runtime/peers as written.
            String stripped = strip.orElse(to != null && to.kind() == RouteTarget.Kind.RUNTIME ? "/" : prefix.orElse("/"));
            if (prefix.isPresent() && to != null && to.kind() == RouteTarget.Kind.RUNTIME
                    && ConfigPaths.covers(stripped, prefix.get())) {
                String reached = add.orElse("") + (stripped.equals("/") ? prefix.get()
                        : prefix.get().substring(stripped.length()));
                if (!ConfigPaths.covers(RUNTIME, reached) && !ConfigPaths.covers(REQUESTS, reached)) {
                    t.problem("to", "\"runtime\" for " + Problems.render(prefix.get()) + ", which reaches "
                            + Problems.render(reached.isEmpty() ? "/" : reached),
                            "a route that reaches " + RUNTIME + " (e.g. strip = " + Problems.render(prefix.get())
                            + " and add = \"" + RUNTIME + "\")");
                }
            }
            t.finish();
            if (prefix.isPresent() && to != null) {
                out.add(new Read<>(new RouteConfig(prefix.get(), to, stripped, add.orElse("")), t));
            }
        }
        return out;
    }

    private static RouteTarget target(TableReader t) {
        boolean present = t.has("to");
        Optional<String> s = t.optString("to");
        if (!present) {
            t.problem("to", "nothing", "\"device:<name>\", \"peer:<id>\" or \"runtime\" (required)");
            return null;
        }
        if (s.isEmpty()) {
            return null;
        }
        try {
            return RouteTarget.parse(s.get());
        } catch (IllegalArgumentException e) {
            t.problem("to", Problems.render(s.get()), "\"device:<name>\", \"peer:<id>\" or \"runtime\"");
            return null;
        }
    }
}

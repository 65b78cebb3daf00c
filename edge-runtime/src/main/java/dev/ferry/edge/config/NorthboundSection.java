package dev.ferry.edge.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads {@code [northbound]} into a {@link NorthboundConfig}, with its own checks. */
final class NorthboundSection {
    /** Sparkplug ids and topic levels: UTF-8 without '+', '/', '#' (Sparkplug 3.0, 4.1). */
    private static final Pattern ID = Pattern.compile("[^+/#\\u0000-\\u001f]{1,64}");
    private static final String ID_EXPECTED = "1..64 characters, none of '+', '/', '#' or control characters";

    private NorthboundSection() {
    }

    static Read<NorthboundConfig> read(TableReader root, NodeConfig node) {
        TableReader t = root.table("northbound", ConfigSchema.NORTHBOUND);
        boolean enabled = t.bool("enabled", false);
        HostPort broker = t.hostPort("broker", "127.0.0.1:1883", false);
        boolean tls = t.bool("tls", false);
        Optional<String> ca = file(t, "ca_file", enabled);
        Optional<String> cert = file(t, "cert_file", enabled);
        Optional<String> key = file(t, "key_file", enabled);
        if (!tls) {
            for (String k : List.of("ca_file", "cert_file", "key_file")) {
                if (t.has(k)) {
                    t.problem(k, Problems.render(t.raw(k)), "no " + k + " unless tls = true");
                }
            }
        }
        if (cert.isPresent() != key.isPresent()) {
            String missing = cert.isPresent() ? "key_file" : "cert_file";
            t.problemAt(cert.isPresent() ? "cert_file" : "key_file", missing, "nothing",
                    "cert_file and key_file together (client certificate and its key)");
        }
        Optional<String> user = t.optString("username").filter(s -> !s.isEmpty());
        Optional<String> password = file(t, "password_file", enabled);
        if (password.isPresent() && user.isEmpty()) {
            t.problemAt("password_file", "username", "nothing", "a username with password_file");
        }
        NorthboundConfig.Mode mode = t.choice("mode", NorthboundConfig.Mode.SPARKPLUG, NorthboundConfig.Mode.class);
        String clientId = t.string("client_id", "ferry-" + node.id());
        if (clientId.isEmpty() || clientId.length() > 64) {
            t.problem("client_id", Problems.render(clientId), "1..64 characters");
        }
        String group = id(t, "group_id", "ferry");
        String edge = id(t, "edge_node_id", node.id());
        Optional<String> primary = t.optString("primary_host").filter(s -> !s.isEmpty());
        if (primary.isPresent() && !ID.matcher(primary.get()).matches()) {
            t.problem("primary_host", Problems.render(primary.get()), ID_EXPECTED);
        }
        String prefix = id(t, "topic_prefix", "ferry");
        List<String> publish = paths(t, "publish");
        List<String> commands = paths(t, "commands");
        int qos = t.integer("qos", 1, 0, 1);
        int keepAlive = t.integer("keepalive_s", 30, 1, 3600);
        int connectTimeout = t.integer("connect_timeout_ms", 10_000, 100, 120_000);
        int reconnectMin = t.integer("reconnect_min_ms", 200, 10, 600_000);
        int reconnectMax = t.integer("reconnect_max_ms", 30_000, 10, 600_000);
        if (reconnectMax < reconnectMin) {
            t.problem("reconnect_max_ms", Integer.toString(reconnectMax), "at least reconnect_min_ms ("
                    + reconnectMin + ")");
        }
        int birthWait = t.integer("birth_wait_ms", 2000, 0, 60_000);
        int inflight = t.integer("max_inflight", 32, 1, 1024);
        String dir = t.string("queue_dir", "northbound");
        if (dir.isEmpty()) {
            t.problem("queue_dir", "\"\"", "a directory path");
        }
        long maxBytes = t.integer("queue_max_bytes", 64 << 20, 4096, Integer.MAX_VALUE);
        NorthboundConfig.QueueFull full = t.choice("queue_full", NorthboundConfig.QueueFull.DROP_OLDEST,
                NorthboundConfig.QueueFull.class);
        NorthboundConfig.Fsync fsync = t.choice("queue_fsync", NorthboundConfig.Fsync.INTERVAL,
                NorthboundConfig.Fsync.class);
        int fsyncMs = t.integer("queue_fsync_ms", 1000, 1, 60_000);
        if (enabled && publish.isEmpty() && t.isPresent()) {
            t.problem("publish", "nothing", "at least one RP path to publish when enabled = true");
        }
        t.finish();
        return new Read<>(new NorthboundConfig(enabled, broker, tls, ca, cert, key, user, password, mode, clientId,
                group, edge, primary, prefix, publish, commands, qos, keepAlive, connectTimeout, reconnectMin,
                reconnectMax, birthWait, inflight, dir, maxBytes, full, fsync, fsyncMs), t);
    }

    /** Every published path must be reachable: some device mount or route prefix covers it. */
    static void checkRoutes(Read<NorthboundConfig> nb, List<String> prefixes) {
        for (String p : nb.value().publish()) {
            if (prefixes.stream().noneMatch(r -> ConfigPaths.covers(r, p))) {
                nb.at().problem("publish", Problems.render(p), "a path under a device mount or route prefix ("
                        + String.join(", ", prefixes) + ")");
            }
        }
    }

    private static String id(TableReader t, String key, String def) {
        String s = t.string(key, def);
        if (!ID.matcher(s).matches()) {
            t.problem(key, Problems.render(s), ID_EXPECTED);
        }
        return s;
    }

    private static List<String> paths(TableReader t, String key) {
        List<String> out = new ArrayList<>();
        for (String s : t.strings(key)) {
            String n = ConfigPaths.normalise(s);
            if (n == null || n.indexOf('#') >= 0) {
                t.problem(key, Problems.render(s), ConfigPaths.EXPECTED_NO_TAG);
            } else if (!out.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }

    /** A file path; when northbound is enabled it must name a readable file. */
    private static Optional<String> file(TableReader t, String key, boolean enabled) {
        Optional<String> s = t.optString(key);
        if (s.isPresent() && s.get().isEmpty()) {
            t.problem(key, "\"\"", "a file path");
            return Optional.empty();
        }
        if (s.isPresent() && enabled && !Files.isReadable(Path.of(s.get()))) {
            t.problem(key, Problems.render(s.get()), "a readable file");
        }
        return s;
    }
}

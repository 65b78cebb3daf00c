package dev.ferry.edge.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.tomlj.TomlArray;

/** Reads the single-table sections: node, http, limits, logging, rendezvous, security. */
final class CoreSections {
    private CoreSections() {
    }

    static NodeConfig node(TableReader root) {
        TableReader t = root.table("node", ConfigSchema.NODE);
        Optional<String> id = t.optString("id");
        if (id.isPresent() && !TableReader.NAME.matcher(id.get()).matches()) {
            t.problem("id", Problems.render(id.get()), TableReader.NAME_EXPECTED);
        }
        t.finish();
        return new NodeConfig(id.orElseGet(NodeConfig::defaultId));
    }

    static HttpConfig http(TableReader root) {
        TableReader t = root.table("http", ConfigSchema.HTTP);
        HttpConfig c = new HttpConfig(t.bool("enabled", true),
                t.hostPort("listen", "127.0.0.1:8080", true),
                t.integer("max_connections", 256, 1, 65536));
        t.finish();
        return c;
    }

    static Read<LimitsConfig> limits(TableReader root) {
        TableReader t = root.table("limits", ConfigSchema.LIMITS);
        LimitsConfig c = new LimitsConfig(
                t.integer("max_streams", 1024, 1, 1_048_576),
                t.integer("device_queue", 64, 1, 65_536),
                t.integer("max_message", 16_384, 256, 1_048_576),
                t.integer("request_timeout_ms", 5000, 1, 3_600_000),
                t.integer("max_request_body", 1_048_576, 1, 67_108_864));
        t.finish();
        return new Read<>(c, t);
    }

    static LoggingConfig logging(TableReader root) {
        TableReader t = root.table("logging", ConfigSchema.LOGGING);
        LoggingConfig c = new LoggingConfig(
                t.choice("level", LoggingConfig.Level.INFO, LoggingConfig.Level.class),
                t.choice("format", LoggingConfig.Format.JOURNAL, LoggingConfig.Format.class));
        t.finish();
        return c;
    }

    static RendezvousConfig rendezvous(TableReader root) {
        TableReader t = root.table("rendezvous", ConfigSchema.RENDEZVOUS);
        RendezvousConfig c = new RendezvousConfig(t.bool("enabled", false),
                t.hostPort("listen", "127.0.0.1:7400", true),
                t.optHostPort("register_to", false),
                t.integer("namespaces_per_peer", 16, 1, 1024),
                t.integer("registrations_per_namespace", 4096, 1, 1_048_576),
                t.integer("subscriber_queue", 1024, 1, 1_048_576));
        t.finish();
        return c;
    }

    static SecurityConfig security(TableReader root) {
        TableReader t = root.table("security", ConfigSchema.SECURITY);
        SecurityConfig.Mode mode = t.choice("mode", SecurityConfig.Mode.OPEN, SecurityConfig.Mode.class);
        Optional<String> key = nonEmpty(t, "key_file");
        Optional<String> trusted = nonEmpty(t, "trusted_keys_dir");
        if (mode != SecurityConfig.Mode.OPEN) {
            String when = " (required when mode = \"" + mode.name().toLowerCase(java.util.Locale.ROOT) + "\")";
            if (!t.has("key_file")) {
                t.problem("key_file", "nothing", "a private key file path" + when);
            }
            if (!t.has("trusted_keys_dir")) {
                t.problem("trusted_keys_dir", "nothing", "a directory of trusted public keys" + when);
            }
        }
        List<SecurityConfig.Cipher> ciphers = ciphers(t);
        t.finish();
        return new SecurityConfig(mode, key, trusted, ciphers);
    }

    private static final String CIPHERS_EXPECTED = "\"auto\" or a non-empty array of distinct names from "
            + Arrays.stream(SecurityConfig.Cipher.values()).map(c -> "\"" + c.label() + "\"")
                    .collect(Collectors.joining(", ")) + " in order of preference";

    /** {@code ciphers}: absent or "auto" gives the empty list (chosen at run time by the CPU). */
    private static List<SecurityConfig.Cipher> ciphers(TableReader t) {
        Object v = t.raw("ciphers");
        if (v == null || "auto".equals(v)) {
            return List.of();
        }
        if (!(v instanceof TomlArray a) || a.isEmpty()) {
            t.problem("ciphers", Problems.render(v), CIPHERS_EXPECTED);
            return List.of();
        }
        List<SecurityConfig.Cipher> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            Object name = a.get(i);
            SecurityConfig.Cipher c = Arrays.stream(SecurityConfig.Cipher.values())
                    .filter(x -> x.label().equals(name)).findFirst().orElse(null);
            if (c == null || out.contains(c)) {
                t.problem("ciphers", Problems.render(name) + " at index " + i
                        + (c == null ? "" : " (listed twice)"), CIPHERS_EXPECTED);
                return List.of();
            }
            out.add(c);
        }
        return out;
    }

    private static Optional<String> nonEmpty(TableReader t, String key) {
        Optional<String> s = t.optString(key);
        if (s.isPresent() && s.get().isEmpty()) {
            t.problem(key, "\"\"", "a non-empty path");
            return Optional.empty();
        }
        return s;
    }
}

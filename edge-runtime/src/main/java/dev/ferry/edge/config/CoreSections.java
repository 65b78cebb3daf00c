package dev.ferry.edge.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.tomlj.TomlArray;

/** Reads the single-table sections: node, limits, observations, logging, security ({@link LanSections}: http, rendezvous). */
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

    static ObservationsConfig observations(TableReader root) {
        TableReader t = root.table("observations", ConfigSchema.OBSERVATIONS);
        ObservationsConfig d = ObservationsConfig.DEFAULTS;
        int linger = t.integer("linger_ms", d.lingerMs(), 0, 600_000);
        int perResource = t.integer("max_subscribers_per_resource", d.maxSubscribersPerResource(), 1, 65_536);
        int total = t.integer("max_subscribers", d.maxSubscribers(), 1, 1_048_576);
        if (perResource > total) {
            t.problem(t.has("max_subscribers_per_resource") ? "max_subscribers_per_resource" : "max_subscribers",
                    perResource + " per resource and " + total + " in total",
                    "max_subscribers_per_resource <= max_subscribers");
            perResource = total;
        }
        ObservationsConfig c = new ObservationsConfig(linger, perResource, total,
                t.integer("max_skipped", d.maxSkipped(), 1, 1_000_000),
                t.integer("cache_entries", d.cacheEntries(), 1, 1_048_576),
                t.integer("cache_bytes", d.cacheBytes(), 1024, 1_073_741_824));
        t.finish();
        return c;
    }

    static LoggingConfig logging(TableReader root) {
        TableReader t = root.table("logging", ConfigSchema.LOGGING);
        LoggingConfig c = new LoggingConfig(
                t.choice("level", LoggingConfig.Level.INFO, LoggingConfig.Level.class),
                t.choice("format", LoggingConfig.Format.JOURNAL, LoggingConfig.Format.class));
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
            } else if (key.isPresent() && !Files.isRegularFile(Path.of(key.get()))) {
                t.problem("key_file", Problems.render(key.get()) + " (" + missing(Path.of(key.get())) + ")",
                        "a readable private key file, as `ferry keygen DIR` writes it" + when);
            }
            if (!t.has("trusted_keys_dir")) {
                t.problem("trusted_keys_dir", "nothing", "a directory of trusted public keys" + when);
            } else if (trusted.isPresent() && !Files.isDirectory(Path.of(trusted.get()))) {
                t.problem("trusted_keys_dir", Problems.render(trusted.get()) + " (" + missing(Path.of(trusted.get()))
                        + ")", "a directory of trusted public keys, one <peer-id>.pub file per peer" + when);
            }
        }
        List<SecurityConfig.Cipher> ciphers = ciphers(t);
        boolean unsafeLan = t.bool("unsafe_unauthenticated_lan", false);
        t.finish();
        return new SecurityConfig(mode, key, trusted, ciphers, unsafeLan);
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

    /** Why {@code p} is not what was asked for, in two or three words. */
    static String missing(Path p) {
        if (!Files.exists(p)) {
            return "no such file or directory";
        }
        return Files.isDirectory(p) ? "a directory" : Files.isRegularFile(p) ? "a file" : "not a regular file";
    }

    /** A string that, when present, is not empty (a path). */
    static Optional<String> nonEmpty(TableReader t, String key) {
        Optional<String> s = t.optString(key);
        if (s.isPresent() && s.get().isEmpty()) {
            t.problem(key, "\"\"", "a non-empty path");
            return Optional.empty();
        }
        return s;
    }
}

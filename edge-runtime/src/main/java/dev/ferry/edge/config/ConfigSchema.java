package dev.ferry.edge.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The registry of every key the loader knows, per section. The section readers take their key
 * lists from here, so a key outside these lists is reported as unknown, and (checked with
 * assertions) every key listed is read. Section paths use {@code []} for arrays of tables, e.g.
 * {@code peers[].transports[]}; the root is {@code ""}.
 */
public final class ConfigSchema {
    static final List<String> ROOT = List.of("node", "http", "limits", "logging", "lines", "devices",
            "routes", "peers", "rendezvous", "security", "northbound", "Tcp", "Resi", "Nkn");
    static final List<String> NODE = List.of("id");
    static final List<String> HTTP = List.of("enabled", "listen", "max_connections");
    static final List<String> LIMITS = List.of("max_streams", "device_queue", "max_message",
            "request_timeout_ms", "max_request_body");
    static final List<String> LOGGING = List.of("level", "format");
    static final List<String> LINE = List.of("name", "port", "host_profile", "baud", "frame_size",
            "window", "rs485", "rs485_pin", "response_timeout_ms", "down_after", "reprobe_max_ms", "idle_poll_ms",
            "idle_poll_max_ms", "protocol", "reset_pin", "simulate");
    static final List<String> DEVICE = List.of("name", "line", "address", "mount", "mcu_profile",
            "namespaces");
    static final List<String> ROUTE = List.of("prefix", "to", "strip", "add");
    static final List<String> PEER = List.of("id", "mode", "handshake_timeout_ms", "ping_interval_ms",
            "dead_after_pings", "resend_buffer", "dup_window", "max_bad_copies", "resend_rate", "offers", "wants",
            "transports");
    static final List<String> TRANSPORT = List.of("kind", "connect", "listen", "bind",
            "reconnect_max_ms");
    static final List<String> RENDEZVOUS = List.of("enabled", "listen", "register_to",
            "namespaces_per_peer", "registrations_per_namespace", "subscriber_queue");
    static final List<String> SECURITY = List.of("mode", "key_file", "trusted_keys_dir", "ciphers");
    static final List<String> NORTHBOUND = List.of("enabled", "broker", "tls", "ca_file", "cert_file",
            "key_file", "username", "password_file", "mode", "client_id", "group_id", "edge_node_id",
            "primary_host", "topic_prefix", "publish", "commands", "qos", "keepalive_s",
            "connect_timeout_ms", "reconnect_min_ms", "reconnect_max_ms", "birth_wait_ms", "max_inflight",
            "queue_dir", "queue_max_bytes", "queue_full", "queue_fsync", "queue_fsync_ms");
    static final List<String> TCP = List.of("Address", "Listen");
    static final List<String> RESI = List.of("Mode");
    static final List<String> NKN = List.of("Enabled", "Address", "Seed", "Subclients");

    private static final Map<String, List<String>> SECTIONS = sections();

    private ConfigSchema() {
    }

    private static Map<String, List<String>> sections() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("", ROOT);
        m.put("node", NODE);
        m.put("http", HTTP);
        m.put("limits", LIMITS);
        m.put("logging", LOGGING);
        m.put("lines[]", LINE);
        m.put("devices[]", DEVICE);
        m.put("routes[]", ROUTE);
        m.put("peers[]", PEER);
        m.put("peers[].transports[]", TRANSPORT);
        m.put("rendezvous", RENDEZVOUS);
        m.put("security", SECURITY);
        m.put("northbound", NORTHBOUND);
        m.put("Tcp", TCP);
        m.put("Resi", RESI);
        m.put("Nkn", NKN);
        return Map.copyOf(m);
    }

    /**
     * Every leaf key the loader knows, as a path with {@code []} for arrays of tables, e.g.
     * {@code http.listen}, {@code lines[].baud}, {@code peers[].transports[].kind},
     * {@code Tcp.Address}. Sorted.
     */
    public static Set<String> knownKeys() {
        Set<String> out = new TreeSet<>();
        for (Map.Entry<String, List<String>> e : SECTIONS.entrySet()) {
            String base = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            for (String key : e.getValue()) {
                String p = base + key;
                if (!SECTIONS.containsKey(p) && !SECTIONS.containsKey(p + "[]")) {
                    out.add(p);
                }
            }
        }
        return out;
    }
}

package dev.ferry.edge.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the sections of the listeners LAN clients reach, {@code [http]} and {@code [rendezvous]},
 * and holds them to "safe by default" (issue 14): a listener on a non-loopback address needs TLS
 * and a way to authenticate, or a key whose name makes the risk plain
 * ({@code unsafe_unauthenticated_lan = true}). Otherwise the problem is reported at its
 * {@code listen} key, so check-config and run refuse the file (exit code 2).
 */
final class LanSections {
    private static final Pattern LOOPBACK_V4 = Pattern.compile("127(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");

    private LanSections() {
    }

    static HttpConfig http(TableReader root) {
        TableReader t = root.table("http", ConfigSchema.HTTP);
        boolean enabled = t.bool("enabled", true);
        HostPort listen = t.hostPort("listen", "127.0.0.1:8080", true);
        int maxConnections = t.integer("max_connections", 256, 1, 65536);
        Optional<String> cert = CoreSections.nonEmpty(t, "tls_cert_file");
        Optional<String> key = CoreSections.nonEmpty(t, "tls_key_file");
        if (cert.isPresent() != key.isPresent()) {
            String missing = cert.isPresent() ? "tls_key_file" : "tls_cert_file";
            t.problemAt(cert.isPresent() ? "tls_cert_file" : "tls_key_file", missing, "nothing",
                    "tls_cert_file and tls_key_file together (HTTPS needs both)");
            cert = Optional.empty();
            key = Optional.empty();
        }
        Optional<String> clientCa = CoreSections.nonEmpty(t, "client_ca_file");
        if (clientCa.isPresent() && cert.isEmpty()) {
            t.problem("client_ca_file", Problems.render(clientCa.get()),
                    "no client_ca_file without tls_cert_file and tls_key_file (client certificates need TLS)");
        }
        Optional<String> tokens = CoreSections.nonEmpty(t, "tokens_file");
        boolean anonymousLoopback = t.bool("allow_anonymous_loopback", true);
        boolean unsafe = t.bool("unsafe_unauthenticated_lan", false);
        HttpConfig c = new HttpConfig(enabled, listen, maxConnections, cert, key, clientCa, tokens, anonymousLoopback,
                unsafe, t.integer("max_connections_per_source", 32, 1, 65536),
                t.integer("header_timeout_ms", 10_000, 100, 600_000),
                t.integer("body_timeout_ms", 30_000, 100, 3_600_000));
        if (enabled && !isLoopback(listen.host()) && !(c.tls() && c.authenticates()) && !unsafe) {
            t.problem("listen", Problems.render(listen.toString()) + " (reachable from the network) without "
                    + (c.tls() ? "" : "TLS") + (c.tls() || c.authenticates() ? "" : " and ")
                    + (c.authenticates() ? "" : "authentication"),
                    "a loopback address, or tls_cert_file + tls_key_file with tokens_file or client_ca_file, "
                    + "or unsafe_unauthenticated_lan = true to serve the network without them");
        }
        t.finish();
        return c;
    }

    static RendezvousConfig rendezvous(TableReader root, HttpConfig http) {
        TableReader t = root.table("rendezvous", ConfigSchema.RENDEZVOUS);
        boolean enabled = t.bool("enabled", false);
        HostPort listen = t.hostPort("listen", "127.0.0.1:7400", true);
        Optional<HostPort> registerTo = t.optHostPort("register_to", false);
        int namespaces = t.integer("namespaces_per_peer", 16, 1, 1024);
        int registrations = t.integer("registrations_per_namespace", 4096, 1, 1_048_576);
        int queue = t.integer("subscriber_queue", 1024, 1, 1_048_576);
        boolean tls = t.bool("tls", false);
        if (tls && !http.tls()) {
            t.problem("tls", "true", "tls = true only with [http] tls_cert_file and tls_key_file (the rendezvous "
                    + "listener uses the same certificate and key)");
        }
        boolean publicDiscovery = t.bool("public_discovery", false);
        boolean unsafe = t.bool("unsafe_unauthenticated_lan", false);
        int perSource = t.integer("max_connections_per_source", 16, 1, 65536);
        Optional<String> token = CoreSections.nonEmpty(t, "register_token_file");
        Optional<String> ca = CoreSections.nonEmpty(t, "register_ca_file");
        if (token.isPresent() && ca.isEmpty() && registerTo.isPresent() && !isLoopback(registerTo.get().host())) {
            t.problem("register_token_file", Problems.render(token.get()) + " without register_ca_file",
                    "register_ca_file as well: a token is sent beyond loopback only over TLS");
        }
        if (enabled && !isLoopback(listen.host()) && !(tls && http.tls() && http.authenticates()) && !unsafe) {
            t.problem("listen", Problems.render(listen.toString()) + " (reachable from the network) without "
                    + (tls ? "" : "TLS") + (tls || http.authenticates() ? "" : " and ")
                    + (http.authenticates() ? "" : "authentication"),
                    "a loopback address, or tls = true with [http] tokens_file or client_ca_file, "
                    + "or unsafe_unauthenticated_lan = true to serve the network without them");
        }
        t.finish();
        return new RendezvousConfig(enabled, listen, registerTo, namespaces, registrations, queue, tls,
                publicDiscovery, unsafe, perSource, token, ca);
    }

    /**
     * Whether a configured host is a loopback address: {@code localhost}, {@code 127.x.y.z}, or an
     * IPv6 loopback literal. Other names are not resolved and count as reachable.
     */
    static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (host.indexOf(':') < 0) {
            return LOOPBACK_V4.matcher(host).matches();
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();   // an IPv6 literal: no DNS lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }
}

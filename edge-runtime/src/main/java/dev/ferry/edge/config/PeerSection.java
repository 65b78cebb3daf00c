package dev.ferry.edge.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads {@code [[peers]]} with their {@code [[peers.transports]]}. */
final class PeerSection {
    static final int HANDSHAKE_TIMEOUT_MS = 5000;
    static final int PING_INTERVAL_MS = 1000;
    static final int DEAD_AFTER_PINGS = 3;
    static final int RESEND_BUFFER = 16384;
    static final int DUP_WINDOW = 32768;
    static final int RECONNECT_MAX_MS = 10_000;

    private PeerSection() {
    }

    static List<Read<PeerConfig>> read(TableReader root) {
        List<Read<PeerConfig>> out = new ArrayList<>();
        for (TableReader t : root.tables("peers", ConfigSchema.PEER)) {
            String id = t.requiredName("id");
            PeerConfig.Mode mode = t.choice("mode", PeerConfig.Mode.PERMISSIVE, PeerConfig.Mode.class);
            int handshake = t.integer("handshake_timeout_ms", HANDSHAKE_TIMEOUT_MS, 100, 600_000);
            int ping = t.integer("ping_interval_ms", PING_INTERVAL_MS, 10, 600_000);
            int dead = t.integer("dead_after_pings", DEAD_AFTER_PINGS, 1, 100);
            int resend = t.integer("resend_buffer", RESEND_BUFFER, 1, 1_048_576);
            int dup = t.integer("dup_window", DUP_WINDOW, 16, 1_048_576);
            int badCopies = t.integer("max_bad_copies", PeerConfig.MAX_BAD_COPIES, 1, 100_000);
            int resendRate = t.integer("resend_rate", PeerConfig.RESEND_RATE, 1, 1_048_576);
            List<String> offers = t.paths("offers");
            List<String> wants = t.paths("wants");
            boolean hasTransports = t.has("transports");
            List<TransportConfig> transports = new ArrayList<>();
            for (TableReader tr : t.tables("transports", ConfigSchema.TRANSPORT)) {
                transports.add(transport(tr));
                tr.finish();
            }
            if (!hasTransports) {
                t.problem("transports", "nothing", "at least one [[peers.transports]] table");
            }
            t.finish();
            out.add(new Read<>(new PeerConfig(id, mode, handshake, ping, dead, resend, dup, offers,
                    wants, transports, badCopies, resendRate), t));
        }
        return out;
    }

    private static TransportConfig transport(TableReader t) {
        TransportConfig.Kind kind = t.choice("kind", TransportConfig.Kind.TCP, TransportConfig.Kind.class);
        boolean hasConnect = t.has("connect");
        boolean hasListen = t.has("listen");
        Optional<HostPort> connect = t.optHostPort("connect", false);
        Optional<HostPort> listen = t.optHostPort("listen", true);
        if (hasConnect && hasListen) {
            t.problem("listen", Problems.render(t.raw("listen")), "either connect or listen, not both");
        } else if (!hasConnect && !hasListen) {
            t.problem("connect", "nothing", "connect = \"host:port\" or listen = \"host:port\" (one is required)");
        }
        Optional<String> bind = t.optString("bind");
        if (bind.isPresent() && !HostPort.isValidHost(bind.get())) {
            t.problem("bind", Problems.render(bind.get()), "a local address without port, such as 192.168.1.10 or fe80::1");
            bind = Optional.empty();
        }
        int reconnect = t.integer("reconnect_max_ms", RECONNECT_MAX_MS, 100, 3_600_000);
        return new TransportConfig(kind, connect, listen, bind, reconnect);
    }
}

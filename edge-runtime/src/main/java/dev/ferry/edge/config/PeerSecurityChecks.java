package dev.ferry.edge.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the security mode asks of peers (docs/security.md, "Peers"):
 * <ul>
 *   <li>in modes signed and encrypted every transport authenticates the peer's key: TCP runs
 *       TLS 1.3, so a transport must be tcp or raet (plain udp is refused at {@code kind});</li>
 *   <li>in mode open nothing is authenticated, so a peer transport may listen only on a loopback
 *       address unless {@code [security] unsafe_unauthenticated_lan = true} says otherwise
 *       (refused at {@code listen}, or at {@code Tcp.Listen});</li>
 *   <li>in modes signed and encrypted each peer needs its key in
 *       {@code trusted_keys_dir/<peer-id>.pub} (refused at the peer's {@code id}, or at the seed's
 *       {@code [Tcp]} for the peer {@code resi}).</li>
 * </ul>
 */
final class PeerSecurityChecks {
    static final String UNSAFE_KEY = "[security] unsafe_unauthenticated_lan = true";

    private PeerSecurityChecks() { }

    /** Checks one {@code [[peers.transports]]} entry, read by {@code t}. */
    static void transport(TableReader t, TransportConfig tc, SecurityConfig sc) {
        if (sc.authenticatesPeers() && tc.kind() == TransportConfig.Kind.UDP) {
            t.problem("kind", "\"udp\"", "\"tcp\" (TLS 1.3) or \"raet\": plain UDP does not authenticate peers,"
                    + " which security mode " + mode(sc) + " requires");
        }
        tc.listen().ifPresent(l -> listen(t, "listen", l, sc));
    }

    /** Checks the seed's {@code [Tcp] Listen}. */
    static void seedListen(TableReader tcp, Optional<HostPort> listen, SecurityConfig sc) {
        listen.ifPresent(l -> listen(tcp, "Listen", l, sc));
    }

    private static void listen(TableReader t, String key, HostPort l, SecurityConfig sc) {
        if (!sc.authenticatesPeers() && !sc.unsafeUnauthenticatedLan() && !l.isLoopback()) {
            t.problem(key, Problems.render(l.toString()), "a loopback address (127.0.0.1, [::1] or localhost) in"
                    + " security mode \"open\", where peers are not authenticated; for the LAN use mode = \"signed\""
                    + " or \"encrypted\" in [security], or accept unauthenticated peers from the network with "
                    + UNSAFE_KEY);
        }
    }

    /**
     * In modes signed and encrypted, with an existing trusted keys directory: reports each peer
     * without a {@code <id>.pub} file in it.
     */
    static void trustedKeys(List<Read<PeerConfig>> peers, Optional<Read<PeerConfig>> seed, SecurityConfig sc) {
        if (!sc.authenticatesPeers() || sc.trustedKeysDir().isEmpty()
                || !Files.isDirectory(Path.of(sc.trustedKeysDir().get()))) {
            return;
        }
        Path dir = Path.of(sc.trustedKeysDir().get());
        for (Read<PeerConfig> p : peers) {
            keyFor(p.value().id(), dir, p.at(), "id", sc);
        }
        seed.ifPresent(s -> keyFor(s.value().id(), dir, s.at(), s.at().has("Address") ? "Address" : "Listen", sc));
    }

    private static void keyFor(String id, Path dir, TableReader at, String key, SecurityConfig sc) {
        Path file = dir.resolve(id + ".pub");
        if (!Files.isRegularFile(file)) {
            at.problem(key, id.equals(PeerConfig.SEED_PEER_ID) && !key.equals("id")
                    ? "the seed's peer \"resi\" without " + file : "peer \"" + id + "\" without " + file,
                    "the peer's public key in " + file + " (the file's name binds the key to the peer id;"
                    + " security mode " + mode(sc) + " authenticates every peer by its key)");
        }
    }

    private static String mode(SecurityConfig sc) {
        return "\"" + sc.mode().name().toLowerCase(Locale.ROOT) + "\"";
    }
}

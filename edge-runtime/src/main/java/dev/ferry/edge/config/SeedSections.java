package dev.ferry.edge.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The RESI seed's sections, accepted as the seed writes them (CamelCase keys):
 * {@code [Tcp] Address, Listen} become the peer {@code resi} with a TCP transport connecting to
 * Address and one listening on Listen; {@code [Resi] Mode} (default strict, as in the seed) is
 * that peer's mode. The seed's files cannot name the other side's node id, so that peer's
 * handshake id is not checked ({@link PeerConfig#nodeId()} empty): in security mode open it is
 * whoever answers at those addresses; in signed and encrypted modes the key in
 * {@code trusted_keys_dir/resi.pub} decides. {@code [Nkn]} is refused unless it says {@code Enabled = false}, because NKN
 * needs the public NKN network, which Ferry does not use.
 */
final class SeedSections {
    static final String NKN_EXPECTED = "no [Nkn] section, or Enabled = false in it"
            + " (NKN needs the public NKN network, which Ferry cannot use; use [Tcp] or [[peers]])";

    private SeedSections() {
    }

    /** The seed's peer, if {@code [Tcp]} is present; also checks {@code [Resi]} and {@code [Nkn]}. */
    static Optional<Read<PeerConfig>> read(TableReader root, SecurityConfig security) {
        boolean hasTcp = root.has("Tcp");
        boolean hasResi = root.has("Resi");
        TableReader tcp = root.table("Tcp", ConfigSchema.TCP);
        Optional<HostPort> address = tcp.optHostPort("Address", false);
        Optional<HostPort> listen = tcp.optHostPort("Listen", true);
        if (hasTcp && !tcp.has("Address") && !tcp.has("Listen")) {
            root.problem("Tcp", "an empty [Tcp] section", "Address and/or Listen in [Tcp]");
        }
        PeerSecurityChecks.seedListen(tcp, listen, security);
        tcp.finish();
        TableReader resi = root.table("Resi", ConfigSchema.RESI);
        PeerConfig.Mode mode = resi.choice("Mode", PeerConfig.Mode.STRICT, PeerConfig.Mode.class);
        resi.finish();
        if (hasResi && !hasTcp) {
            root.problem("Resi", "[Resi] without [Tcp]", "a [Tcp] section (the seed peer's transports)");
        }
        nkn(root);
        if (address.isEmpty() && listen.isEmpty()) {
            return Optional.empty();
        }
        List<TransportConfig> transports = new ArrayList<>();
        address.ifPresent(a -> transports.add(new TransportConfig(TransportConfig.Kind.TCP,
                Optional.of(a), Optional.empty(), Optional.empty(), PeerSection.RECONNECT_MAX_MS)));
        listen.ifPresent(l -> transports.add(new TransportConfig(TransportConfig.Kind.TCP,
                Optional.empty(), Optional.of(l), Optional.empty(), PeerSection.RECONNECT_MAX_MS)));
        PeerConfig peer = new PeerConfig(PeerConfig.SEED_PEER_ID, mode, PeerSection.HANDSHAKE_TIMEOUT_MS,
                PeerSection.PING_INTERVAL_MS, PeerSection.DEAD_AFTER_PINGS, PeerSection.RESEND_BUFFER,
                PeerSection.DUP_WINDOW, List.of(), List.of(), transports, PeerConfig.MAX_BAD_COPIES,
                PeerConfig.RESEND_RATE, Optional.empty());
        return Optional.of(new Read<>(peer, tcp));
    }

    private static void nkn(TableReader root) {
        boolean present = root.has("Nkn");
        TableReader nkn = root.table("Nkn", ConfigSchema.NKN);
        boolean enabled = nkn.bool("Enabled", true);
        nkn.optString("Address");
        nkn.optString("Seed");
        nkn.optInt("Subclients", 0, 1024);
        nkn.finish();
        if (present && nkn.isPresent() && enabled) {
            root.problem("Nkn", "[Nkn] section", NKN_EXPECTED);
        }
    }
}

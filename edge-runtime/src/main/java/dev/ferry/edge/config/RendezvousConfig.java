package dev.ferry.edge.config;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code [rendezvous]}: device presence by namespace.
 *
 * @param enabled                   whether this node serves rendezvous (default false)
 * @param listen                    where it serves (default 127.0.0.1:7400)
 * @param registerTo                optional rendezvous server this node registers its devices with
 * @param namespacesPerPeer         1..1024 (default 16)
 * @param registrationsPerNamespace 1..1048576 (default 4096)
 * @param subscriberQueue           events queued per subscriber, 1..1048576 (default 1024)
 * @param tls                       serve TLS with {@code [http]}'s certificate and key (default false)
 * @param publicDiscovery           anyone may enter rendezvous and discover (default false: beyond
 *                                  loopback, a token with a register or discover scope is needed)
 * @param unsafeUnauthenticatedLan  serve a non-loopback address without TLS and authentication
 * @param maxConnectionsPerSource   open connections per source address, 1..65536 (default 16)
 * @param registerTokenFile         file holding the token this node presents to {@code registerTo}
 * @param registerCaFile            PEM CA (or self-signed certificate) to reach {@code registerTo} over TLS
 */
public record RendezvousConfig(boolean enabled, HostPort listen, Optional<HostPort> registerTo,
        int namespacesPerPeer, int registrationsPerNamespace, int subscriberQueue, boolean tls,
        boolean publicDiscovery, boolean unsafeUnauthenticatedLan, int maxConnectionsPerSource,
        Optional<String> registerTokenFile, Optional<String> registerCaFile) {
    public RendezvousConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(registerTo, "registerTo");
        Objects.requireNonNull(registerTokenFile, "registerTokenFile");
        Objects.requireNonNull(registerCaFile, "registerCaFile");
    }

    /** Plain, loopback-trusting rendezvous with the default protections. */
    public RendezvousConfig(boolean enabled, HostPort listen, Optional<HostPort> registerTo,
            int namespacesPerPeer, int registrationsPerNamespace, int subscriberQueue) {
        this(enabled, listen, registerTo, namespacesPerPeer, registrationsPerNamespace, subscriberQueue,
                false, false, false, 16, Optional.empty(), Optional.empty());
    }
}

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
 */
public record RendezvousConfig(boolean enabled, HostPort listen, Optional<HostPort> registerTo,
        int namespacesPerPeer, int registrationsPerNamespace, int subscriberQueue) {
    public RendezvousConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(registerTo, "registerTo");
    }
}

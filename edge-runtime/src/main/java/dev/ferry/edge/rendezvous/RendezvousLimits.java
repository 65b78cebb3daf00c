package dev.ferry.edge.rendezvous;

import dev.ferry.edge.config.RendezvousConfig;

/**
 * Every bound the rendezvous service enforces. All values are positive; a message or field past a
 * bound is refused (see RENDEZVOUS.md), never buffered.
 *
 * @param namespacesPerPeer         distinct namespaces one connection may register in, and (separately)
 *                                  enter rendezvous on
 * @param registrationsPerNamespace registrations (distinct peer ids) one namespace may hold
 * @param subscriberQueue           announcements queued towards one connection before it is cut off
 * @param maxMessageBytes           largest message a client may send (the varint length prefix value)
 * @param maxNamespaceBytes         UTF-8 length of a namespace
 * @param maxIdBytes                UTF-8 length of a peer id
 * @param maxAddrs                  addresses per peer
 * @param maxAddrBytes              bytes per address
 */
public record RendezvousLimits(int namespacesPerPeer, int registrationsPerNamespace, int subscriberQueue,
        int maxMessageBytes, int maxNamespaceBytes, int maxIdBytes, int maxAddrs, int maxAddrBytes) {

    /** Default for {@link #maxMessageBytes}: 64 KiB. */
    public static final int DEFAULT_MAX_MESSAGE = 64 * 1024;

    public RendezvousLimits {
        if (namespacesPerPeer < 1 || registrationsPerNamespace < 1 || subscriberQueue < 1 || maxMessageBytes < 16
                || maxNamespaceBytes < 1 || maxIdBytes < 1 || maxAddrs < 0 || maxAddrBytes < 1) {
            throw new IllegalArgumentException("rendezvous limits must be positive");
        }
    }

    /** The config's bounds plus the fixed ones: 64 KiB messages, ns and id ≤ 128 bytes, ≤ 8 addrs of ≤ 256 bytes. */
    public static RendezvousLimits from(RendezvousConfig c) {
        return of(c.namespacesPerPeer(), c.registrationsPerNamespace(), c.subscriberQueue());
    }

    /** Like {@link #from} with explicit config values. */
    public static RendezvousLimits of(int namespacesPerPeer, int registrationsPerNamespace, int subscriberQueue) {
        return new RendezvousLimits(namespacesPerPeer, registrationsPerNamespace, subscriberQueue,
                DEFAULT_MAX_MESSAGE, 128, 128, 8, 256);
    }

    /** Config defaults (16 namespaces per peer, 4096 registrations per namespace, queue 1024). */
    public static RendezvousLimits defaults() {
        return of(16, 4096, 1024);
    }

    /** Largest encoded size of one registration entry; bounds every message the service sends. */
    public int maxRegistrationBytes() {
        return 16 + maxNamespaceBytes + maxIdBytes + maxAddrs * (maxAddrBytes + 3);
    }
}

package dev.ferry.edge.rendezvous;

import java.util.Objects;

/**
 * Registers the gateway's own devices directly in an in-process {@link RendezvousRegistry}: no
 * socket, announcements leave before {@link #register} returns. Its session is exempt from
 * namespaces-per-peer (the device config bounds it); every other bound applies. Thread-safe.
 */
public final class LocalRegistrar implements Registrar, AutoCloseable {
    private final RendezvousRegistry.Session session;

    public LocalRegistrar(RendezvousRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        this.session = registry.open(new SessionSink() {
            @Override
            public boolean send(RendezvousMessage m, byte[] wire) {
                return true;                // never subscribes; nothing is sent to it
            }

            @Override
            public void cutOff(String reason) {
                // never happens: send never refuses
            }

            @Override
            public String label() {
                return "local devices";
            }
        }, true);
    }

    @Override
    public boolean register(Registration r) {
        return session.register(r) == null;
    }

    @Override
    public void unregister(String ns, String id) {
        session.unregister(ns, id);
    }

    /** Unregisters everything registered through this registrar. */
    @Override
    public void close() {
        session.close();
    }
}

package dev.ferry.edge.rendezvous;

/**
 * Observes every change of the registry, e.g. to push {@code /#runtime/rendezvous} to observers.
 * Called with the registry's lock held, in the order the changes happen: implementations must be
 * quick and must not block or call back into the registry (queue the work instead, as
 * {@code RuntimeResources.changed} does).
 */
public interface RendezvousListener {
    /** {@code r} was registered, or re-registered with new addresses or a new owner. */
    void registered(Registration r);

    /** {@code id} left {@code ns} (unregistered, or its owner disconnected). */
    void unregistered(String ns, String id);

    /** A listener that only wants to know which namespace changed. */
    static RendezvousListener onChange(java.util.function.Consumer<String> changedNamespace) {
        return new RendezvousListener() {
            @Override
            public void registered(Registration r) {
                changedNamespace.accept(r.ns());
            }

            @Override
            public void unregistered(String ns, String id) {
                changedNamespace.accept(ns);
            }
        };
    }
}

package dev.ferry.edge.rendezvous;

/**
 * Somewhere registrations can be made: the in-process service ({@link LocalRegistrar}) or a
 * rendezvous service over TCP ({@link RendezvousClient}).
 */
public interface Registrar {
    /**
     * Registers {@code r}, announcing it to the namespace's subscribers.
     *
     * @return false when refused (locally known bound); a remote service may still refuse later
     */
    boolean register(Registration r);

    /** Removes the registration of {@code id} in {@code ns} made through this registrar, if any. */
    void unregister(String ns, String id);
}

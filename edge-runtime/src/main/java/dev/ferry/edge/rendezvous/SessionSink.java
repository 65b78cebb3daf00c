package dev.ferry.edge.rendezvous;

/**
 * Where a {@link RendezvousRegistry} session's messages go: a peer's connection
 * ({@link ServiceConnection}) or the gateway's own registrar ({@link LocalRegistrar}).
 */
public interface SessionSink {
    /**
     * Queues {@code m} (already framed as {@code wire}) towards the peer without blocking.
     *
     * @return false when the peer's bounded queue is full: the registry then closes the session
     *         and calls {@link #cutOff}
     */
    boolean send(RendezvousMessage m, byte[] wire);

    /** The registry closed the session because of {@code reason}; drop the connection. */
    void cutOff(String reason);

    /** For logs. */
    String label();
}

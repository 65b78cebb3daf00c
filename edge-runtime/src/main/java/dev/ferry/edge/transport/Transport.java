package dev.ferry.edge.transport;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * One path to a peer gateway (one {@code [[peers.transports]]} entry), carrying opaque envelope
 * bytes. Styled after Californium's {@code Connector}: a small contract that TCP, UDP and (later)
 * a reliable secure UDP transport all implement.
 *
 * <p>What callers may rely on:
 * <ul>
 *   <li>{@link #start()} binds listening sockets at once (throwing
 *       {@link java.io.UncheckedIOException} if the address is unusable) and otherwise returns at
 *       once; connecting and reconnecting happen on Netty's event loops, reported through the
 *       {@link Receiver}. Calling it twice throws {@link IllegalStateException}.</li>
 *   <li>{@link #send(byte[])} never blocks: it queues one envelope and returns true, or returns
 *       false when the transport is not {@link State#UP} or its bounded outbound queue is full.
 *       A true return is no delivery promise (that is the RESI acknowledgement's job).
 *       It throws {@link IllegalStateException} if the transport was never started.</li>
 *   <li>Envelopes are delivered whole (framing and reassembly are the transport's business);
 *       their content is not inspected. Framing errors are reported as garbage, never thrown.</li>
 *   <li>Receiver callbacks run on an event loop and must not block.</li>
 * </ul>
 */
public interface Transport {
    /** Connection state as the transport itself sees it (the peer link adds handshakes and pings). */
    enum State { CONNECTING, UP, DOWN }

    /** Where a transport reports what arrived and what changed. */
    interface Receiver {
        /** One whole envelope, as the peer sent it (bytes owned by the callee). */
        void onEnvelope(Transport t, byte[] envelope);

        /**
         * Envelopes that arrived together (one socket read of a stream transport), in order; the
         * list is the caller's and valid only during the call, the arrays are the callee's. By
         * default each is handed to {@link #onEnvelope}; a receiver may handle them as one batch.
         */
        default void onEnvelopes(Transport t, List<byte[]> envelopes) {
            for (byte[] e : envelopes) {
                onEnvelope(t, e);
            }
        }

        /** The state changed; {@code reason} says why in a few words. */
        void onState(Transport t, State state, String reason);

        /** Bytes that could not be framed (bad length, bad fragment, too long); already dropped. */
        void onGarbage(Transport t, String reason);
    }

    /** Position in the peer's transport list (0-based), stable for the transport's life. */
    int index();

    /** Short human name, e.g. {@code tcp-connect 127.0.0.1:9000}. */
    String name();

    /** Sets the receiver; must be called before {@link #start()}. */
    void setReceiver(Receiver receiver);

    void start();

    /** Closes sockets and stops reconnecting; idempotent. */
    void stop();

    /** Queues one envelope; false when not up or the outbound queue is full. */
    boolean send(byte[] envelope);

    State state();

    /**
     * Drops the current connection after a protocol error (garbage, refused handshake): TCP closes
     * the socket (a connecting transport then reconnects after its back-off); UDP forgets a learned
     * remote address. Safe from any thread.
     */
    void reset(String reason);

    /**
     * True when envelopes share one byte stream (TCP): after a garbage envelope the stream cannot
     * be trusted and the peer link resets it. False for datagrams: a bad one is simply dropped.
     */
    boolean isStream();

    /**
     * What this transport carried (every {@link TransportBase} counts); null for a transport
     * that does not count, such as a test double.
     */
    default TransportCounters traffic() {
        return null;
    }

    /**
     * The peer link found the path healthy (the peer's handshake arrived on it): a transport that
     * reconnects starts its back-off over from the minimum, so the next outage is retried quickly.
     * Safe from any thread; by default nothing.
     */
    default void healthy() { }

    /** The local address actually bound, once bound. */
    Optional<InetSocketAddress> localAddress();
}

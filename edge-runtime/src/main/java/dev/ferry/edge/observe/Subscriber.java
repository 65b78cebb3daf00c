package dev.ferry.edge.observe;

import dev.ferry.edge.route.Principal;
import dev.ferry.rp.Path;

/**
 * One subscriber of a shared observation: where its messages go (its return path in the host
 * namespace), the stream path it is answered from (in the endpoint's namespace, unguessable), who
 * it is, and its flow state. Guarded by the owning {@link Subscriptions}' lock.
 */
final class Subscriber {
    /** The subscriber's return path (host namespace): where its stream's messages go. */
    final Path replyTo;
    /** Its own stream path in the endpoint's namespace: {@code <resource>#obs/<token>}. */
    final Path stream;
    /** Who subscribed (only it may pause or cancel the stream). */
    final Principal who;
    /** The router endpoint it came through ({@code lan}, {@code peer:gw-b}, ...), for the view. */
    final String via;
    /** Paused with {@code PUT <stream>#flow false}. */
    boolean paused;
    /** Updates it did not get since the last one it took (paused or refused). */
    long missed;
    /** Deliveries its endpoint refused in a row (it is cut off at the configured bound). */
    int refusedInARow;

    Subscriber(Path replyTo, Path stream, Principal who, String via) {
        this.replyTo = replyTo;
        this.stream = stream;
        this.who = who;
        this.via = via;
    }
}

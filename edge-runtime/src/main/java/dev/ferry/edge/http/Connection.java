package dev.ferry.edge.http;

import dev.ferry.edge.metrics.RemoteLog;
import dev.ferry.edge.route.Meta;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client connection as the facade's delivery side sees it: its number (the first segment of
 * its return paths, {@code /<id>}), its channel, and a bounded count of replies handed to its
 * event loop but not yet processed. {@link #offer} may be called from any thread and never
 * blocks; everything else about the connection happens on its event loop.
 */
final class Connection {
    /** Why {@link #offer} refused a message. */
    enum Offer { TAKEN, GONE, NOT_WRITABLE, QUEUE_FULL }

    final long id;
    final Path prefix;
    final Channel channel;
    private final int maxQueued;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean aborting = new AtomicBoolean();
    private volatile ConnectionSink sink;

    Connection(long id, Channel channel, int maxQueued) {
        this.id = id;
        this.prefix = Path.of("/" + id);
        this.channel = channel;
        this.maxQueued = maxQueued;
    }

    void sink(ConnectionSink s) {
        this.sink = s;
    }

    ConnectionSink sink() {
        return sink;
    }

    /** Hands {@code m} to the event loop; refuses when the client is gone, slow or backlogged. */
    Offer offer(Path rest, Message m) {
        return offer(rest, m, null);
    }

    /** Like {@link #offer(Path, Message)}, with what travels beside the message (may be null). */
    Offer offer(Path rest, Message m, Meta meta) {
        ConnectionSink s = sink;
        if (s == null || !channel.isActive()) {
            return Offer.GONE;
        }
        if (!channel.isWritable()) {
            return Offer.NOT_WRITABLE;
        }
        if (queued.incrementAndGet() > maxQueued) {
            queued.decrementAndGet();
            return Offer.QUEUE_FULL;
        }
        channel.eventLoop().execute(() -> {
            queued.decrementAndGet();
            sink.onMessage(rest, m, meta);
        });
        return Offer.TAKEN;
    }

    /** Disconnects a client that cannot keep up, once; its handler cancels its streams. */
    void abort(String reason) {
        if (aborting.compareAndSet(false, true)) {
            RemoteLog.warn("http:slow_client", "lan: disconnecting connection {} ({}): {}", id,
                    channel.remoteAddress(), reason);
            channel.eventLoop().execute(() -> channel.close());
        }
    }

    int queued() {
        return queued.get();
    }
}

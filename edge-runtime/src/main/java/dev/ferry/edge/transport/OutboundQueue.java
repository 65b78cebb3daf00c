package dev.ferry.edge.transport;

import io.netty.channel.Channel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Hands envelopes from any thread to one channel's event loop, coalescing writes: one task and
 * one flush per batch instead of one per envelope. Bounded by queued bytes; {@link #offer} returns
 * false when the bound is reached. Thread-safe.
 */
final class OutboundQueue {
    private final Queue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final long maxBytes;

    OutboundQueue(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Queues {@code envelope} for {@code ch}; {@code write} is later called on the channel's event
     * loop for each queued envelope, followed by one flush.
     */
    boolean offer(Channel ch, byte[] envelope, BiConsumer<Channel, byte[]> write) {
        if (queuedBytes.get() + envelope.length > maxBytes) {
            return false;
        }
        queuedBytes.addAndGet(envelope.length);
        queue.add(envelope);
        if (scheduled.compareAndSet(false, true)) {
            ch.eventLoop().execute(() -> drain(ch, write));
        }
        return true;
    }

    private void drain(Channel ch, BiConsumer<Channel, byte[]> write) {
        scheduled.set(false);
        boolean wrote = false;
        byte[] b;
        while ((b = queue.poll()) != null) {
            queuedBytes.addAndGet(-b.length);
            if (ch.isActive()) {
                write.accept(ch, b);
                wrote = true;
            }
        }
        if (wrote) {
            ch.flush();
        }
    }

    /** Forgets everything queued (the connection went away). */
    void clear() {
        byte[] b;
        while ((b = queue.poll()) != null) {
            queuedBytes.addAndGet(-b.length);
        }
    }

    long queuedBytes() {
        return queuedBytes.get();
    }
}

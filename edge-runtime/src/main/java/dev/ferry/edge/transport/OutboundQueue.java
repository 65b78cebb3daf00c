package dev.ferry.edge.transport;

import io.netty.channel.Channel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands envelopes from any thread to one channel's event loop, coalescing writes: one task and
 * one flush per batch instead of one per envelope. A batch is at most {@link #MAX_BATCH}
 * envelopes: a producer that keeps the queue full must not keep the event loop writing without a
 * flush (the peer would see nothing until it stops) or away from its reads (acks). Bounded by
 * queued bytes; {@link #offer} returns false when the bound is reached. Thread-safe.
 */
final class OutboundQueue {
    /** Envelopes written per event-loop task before a flush and a turn for the loop's other work. */
    static final int MAX_BATCH = 256;

    /** How a transport puts one batch on its channel; called on the channel's event loop only. */
    interface Sink {
        /** Writes (without flushing) one envelope. */
        void write(Channel ch, byte[] envelope);

        /** The batch is complete: write out anything held back; the queue flushes next. */
        default void endBatch(Channel ch) { }
    }

    private final Queue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final long maxBytes;

    OutboundQueue(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Queues {@code envelope} for {@code ch}; {@code sink} later writes it on the channel's event
     * loop, in order, and the batch it ends up in is flushed.
     */
    boolean offer(Channel ch, byte[] envelope, Sink sink) {
        if (queuedBytes.get() + envelope.length > maxBytes) {
            return false;
        }
        queuedBytes.addAndGet(envelope.length);
        queue.add(envelope);
        if (scheduled.compareAndSet(false, true)) {
            ch.eventLoop().execute(() -> drain(ch, sink));
        }
        return true;
    }

    /**
     * Writes up to {@link #MAX_BATCH} envelopes and flushes. The flag stays set while envelopes
     * remain, so producers schedule no extra task (nor wake the loop) while one is pending.
     */
    private void drain(Channel ch, Sink sink) {
        int n = 0;
        long bytes = 0;
        boolean active = ch.isActive();
        byte[] b;
        for (;;) {
            while (n < MAX_BATCH && (b = queue.poll()) != null) {
                bytes += b.length;
                n++;
                if (active) {
                    sink.write(ch, b);
                }
            }
            if (n == MAX_BATCH) {
                ch.eventLoop().execute(() -> drain(ch, sink)); // more may wait: after the loop's other work
                break;
            }
            scheduled.set(false);
            if (queue.isEmpty() || !scheduled.compareAndSet(false, true)) {
                break;
            }
        }
        queuedBytes.addAndGet(-bytes);
        if (active && n > 0) {
            sink.endBatch(ch);
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

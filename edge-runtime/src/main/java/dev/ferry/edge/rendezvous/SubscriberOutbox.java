package dev.ferry.edge.rendezvous;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.util.ArrayDeque;

/**
 * The messages waiting for one connection's socket: at most {@code capacity} of them, counted from
 * {@link #offer} until the socket has taken them (or the write failed). Producers may call
 * {@link #offer} from any thread (the registry's, under its lock); the channel's event loop writes.
 *
 * <p>Frames are the registry's framed bytes, shared by every connection an announcement goes to;
 * nothing is copied per connection until the write. A write takes the queued frames in order and
 * joins consecutive ones into one buffer of at most {@link #COALESCE_BYTES} (a larger frame goes
 * alone, wrapped), so a burst costs a few buffers and one completion per buffer rather than
 * wrapper objects and a promise per message. Writing stops while the channel is not writable (its
 * outbound buffer is past the high water mark): a burst waits here, counted against the bound,
 * rather than in Netty's buffer; the owner calls {@link #drain} again when it becomes writable.
 */
final class SubscriberOutbox {
    /** Largest buffer that queued frames are joined into. */
    static final int COALESCE_BYTES = 16 * 1024;

    private final Channel channel;
    private final int capacity;
    /** Frames accepted and not yet handed to the channel; guarded by this. */
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    /** Frames accepted and not yet on the socket (queued plus written-but-unsent); guarded by this. */
    private int pending;
    private boolean drainScheduled;
    private boolean closed;

    SubscriberOutbox(Channel channel, int capacity) {
        this.channel = channel;
        this.capacity = capacity;
    }

    /**
     * Queues {@code frame} and schedules a write on the event loop; never blocks.
     *
     * @return false when {@code capacity} frames are already pending (nothing is queued); true
     *         otherwise, including after {@link #close} (the frame is dropped)
     */
    boolean offer(byte[] frame) {
        synchronized (this) {
            if (closed) {
                return true;
            }
            if (pending >= capacity) {
                return false;
            }
            pending++;
            queue.add(frame);
            if (drainScheduled) {
                return true;
            }
            drainScheduled = true;
        }
        channel.eventLoop().execute(this::drain);
        return true;
    }

    /** On the event loop: writes queued frames while the channel is writable, then flushes once. */
    void drain() {
        synchronized (this) {
            drainScheduled = false;
        }
        boolean wrote = false;
        while (channel.isWritable()) {
            ByteBuf buf;
            int frames;
            synchronized (this) {
                if (closed || queue.isEmpty()) {
                    break;
                }
                frames = joinable();
                buf = frames == 1 ? Unpooled.wrappedBuffer(queue.poll()) : join(frames);
            }
            int done = frames;
            channel.write(buf).addListener(f -> sent(done));
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    /** How many frames from the head fit together in one buffer (at least 1). Holds the lock. */
    private int joinable() {
        int n = 0;
        int bytes = 0;
        for (byte[] f : queue) {
            if (n > 0 && bytes + f.length > COALESCE_BYTES) {
                break;
            }
            bytes += f.length;
            n++;
        }
        return n;
    }

    private ByteBuf join(int frames) {
        int bytes = 0;
        int i = 0;
        for (byte[] f : queue) {
            if (i++ == frames) {
                break;
            }
            bytes += f.length;
        }
        ByteBuf buf = channel.alloc().heapBuffer(bytes, bytes);
        for (int k = 0; k < frames; k++) {
            buf.writeBytes(queue.poll());
        }
        return buf;
    }

    /** {@code frames} left for the socket, or failed with the connection. */
    private synchronized void sent(int frames) {
        pending -= frames;
    }

    /** Frames accepted and not yet on the socket. */
    synchronized int pending() {
        return pending;
    }

    /** The connection is gone: drops what is queued; later offers are accepted and dropped. */
    synchronized void close() {
        closed = true;
        pending -= queue.size();
        queue.clear();
    }
}

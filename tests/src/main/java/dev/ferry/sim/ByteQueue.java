package dev.ferry.sim;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded FIFO of bytes shared by one producer and one consumer thread.
 *
 * <p>Callers may rely on: it never holds more than its capacity; {@link #putAll} blocks while
 * full (backpressure), {@link #offer} refuses when full (the caller counts the loss);
 * {@link #since()} is the time the queue last went from empty to non-empty.
 */
final class ByteQueue {

    private final byte[] ring;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition notEmpty = lock.newCondition();
    private int head;
    private int size;
    private long since;
    private boolean closed;

    ByteQueue(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be > 0");
        }
        ring = new byte[capacity];
    }

    /** Append all bytes, waiting while full; returns false if the queue was closed. */
    boolean putAll(byte[] data, int offset, int length) throws InterruptedException {
        lock.lock();
        try {
            for (int i = 0; i < length; i++) {
                while (size == ring.length && !closed) {
                    notFull.await();
                }
                if (closed) {
                    return false;
                }
                append(data[offset + i]);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Append as many of the first {@code length} bytes as there is room for; returns how many. */
    int offerAll(byte[] bytes, int length) {
        lock.lock();
        try {
            if (closed) {
                return 0;
            }
            int n = Math.min(length, ring.length - size);
            for (int i = 0; i < n; i++) {
                append(bytes[i]);
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    private void append(byte b) {
        if (size == 0) {
            since = System.nanoTime();
        }
        ring[(head + size) % ring.length] = b;
        size++;
        notEmpty.signal();
    }

    int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** Time the queue last became non-empty, or {@code Long.MAX_VALUE} if it is empty. */
    long since() {
        lock.lock();
        try {
            return size == 0 ? Long.MAX_VALUE : since;
        } finally {
            lock.unlock();
        }
    }

    /** Remove the first byte; the queue must not be empty. */
    byte take() {
        lock.lock();
        try {
            if (size == 0) {
                throw new IllegalStateException("empty");
            }
            byte b = ring[head];
            head = (head + 1) % ring.length;
            size--;
            notFull.signal();
            return b;
        } finally {
            lock.unlock();
        }
    }

    /** Move up to {@code max} bytes into {@code out}, waiting at most {@code timeoutMs} for one. */
    int drainTo(byte[] out, int max, long timeoutMs) throws InterruptedException {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (size == 0 && !closed && nanos > 0) {
                nanos = notEmpty.awaitNanos(nanos);
            }
            int n = Math.min(Math.min(size, max), out.length);
            for (int i = 0; i < n; i++) {
                out[i] = ring[head];
                head = (head + 1) % ring.length;
            }
            size -= n;
            if (n > 0) {
                notFull.signalAll();
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    boolean isEmpty() {
        lock.lock();
        try {
            return size == 0;
        } finally {
            lock.unlock();
        }
    }

    /** Drop the contents and wake every waiter; later puts and offers fail. */
    void close() {
        lock.lock();
        try {
            closed = true;
            size = 0;
            notFull.signalAll();
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }
}

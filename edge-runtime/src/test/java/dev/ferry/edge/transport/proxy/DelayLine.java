package dev.ferry.edge.transport.proxy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One direction's emulated path latency: what is sent through it comes out in order, each batch
 * {@code delay} after it went in, so a delayed path keeps its throughput (a proxy thread that
 * slept per envelope would have throttled it to one envelope per delay). Without a delay, and
 * with nothing still in the line, a batch is written at once on the caller's thread. Bounded: a
 * full line blocks the caller, as a full link buffer would. One writer thread, until
 * {@link #close}. For tests.
 */
final class DelayLine {
    /** Where the line's batches go; {@code more} is true when another batch is already waiting. */
    interface Output {
        void write(List<byte[]> frames, boolean more) throws IOException;
    }

    private record Batch(long due, List<byte[]> frames) { }

    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(1 << 16);
    private final AtomicInteger inLine = new AtomicInteger();
    private final Output out;
    private final Runnable onError;
    private final Thread writer;

    DelayLine(String name, Output out, Runnable onError) {
        this.out = out;
        this.onError = onError;
        writer = new Thread(this::run, "delay-" + name);
        writer.setDaemon(true);
        writer.start();
    }

    /** Stops the writer; what is still in the line is lost, as on a cut cable. */
    void close() {
        writer.interrupt();
    }

    /** Sends {@code frames} on, {@code delayMillis} from now; {@code more}: the caller has more at once. */
    void send(List<byte[]> frames, int delayMillis, boolean more) throws IOException, InterruptedException {
        if (frames.isEmpty()) {
            return;
        }
        if (delayMillis <= 0 && inLine.get() == 0) {
            out.write(frames, more);
            return;
        }
        inLine.incrementAndGet();
        queue.put(new Batch(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis), frames));
    }

    private void run() {
        try {
            while (true) {
                Batch b = queue.take();
                long left;
                while ((left = b.due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(left); // the emulated latency itself, not synchronisation
                }
                try {
                    out.write(b.frames, !queue.isEmpty());
                } catch (IOException e) {
                    queue.clear();
                    inLine.set(0);
                    onError.run();
                    continue;
                }
                inLine.decrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

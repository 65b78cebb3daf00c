package dev.ferry.edge.northbound;

import java.util.PriorityQueue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * The northbound's one thread: tasks from other threads through a bounded queue, and timers set
 * from the thread itself. Everything northbound owns (the queue, the session, the devices) is
 * touched only here, so none of it needs locks.
 */
final class EngineLoop implements AutoCloseable {
    private record Timer(long at, long order, Runnable task) { }

    private final BlockingQueue<Runnable> tasks;
    private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) -> a.at != b.at
            ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
    private final Thread thread;
    private long order;
    private volatile boolean running = true;

    EngineLoop(String name, int capacity) {
        tasks = new ArrayBlockingQueue<>(capacity);
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues a task; false when the queue is full or the loop stopped (the caller counts it). */
    boolean post(Runnable r) {
        return running && tasks.offer(r);
    }

    /** Queues a task that must not be lost (a completion), waiting for room if need be. */
    void postCritical(Runnable r) {
        try {
            while (running && !tasks.offer(r, 100, TimeUnit.MILLISECONDS)) {
                Logger.warn("northbound: engine queue full, a completion waits");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs {@code r} on this thread after {@code ms}; call only from this thread. */
    void after(long ms, Runnable r) {
        timers.add(new Timer(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms), order++, r));
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    private void run() {
        while (running) {
            try {
                long wait = 1000;
                Timer t = timers.peek();
                if (t != null) {
                    wait = Math.max(0, TimeUnit.NANOSECONDS.toMillis(t.at - System.nanoTime()));
                }
                Runnable r = tasks.poll(wait, TimeUnit.MILLISECONDS);
                if (r != null) {
                    r.run();
                }
                long now = System.nanoTime();
                while (!timers.isEmpty() && timers.peek().at - now <= 0) {
                    timers.poll().task.run();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | Error e) {
                Logger.error(e, "northbound: task failed");
            }
        }
    }

    /** Runs {@code r} on the loop and waits for it (at most {@code ms}); for shutting down. */
    void runAndWait(Runnable r, long ms) {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        if (!post(() -> {
            try {
                r.run();
            } finally {
                done.countDown();
            }
        })) {
            return;
        }
        try {
            done.await(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.ferry.bridge.bus;

import java.util.concurrent.locks.LockSupport;

/**
 * Time for the bus and the sessions: a monotonic clock and a way to wait. Replaced by a fake in
 * tests, where waiting simply advances the time.
 *
 * <p>Callers may rely on: {@link #nanoTime()} never goes backwards; {@link #park(long)} returns
 * after at most about {@code nanos}, possibly earlier (a wake-up), so callers re-check their
 * condition in a loop.
 */
public interface BusClock {
    /** Monotonic time in nanoseconds ({@link System#nanoTime()} style). */
    long nanoTime();

    /** Wait up to {@code nanos}; may return early. */
    void park(long nanos);

    /** Waits until {@code deadline} has passed, whatever wake-ups happen meanwhile. */
    default void parkUntil(long deadline) {
        long left;
        while ((left = deadline - nanoTime()) > 0) {
            park(left);
        }
    }

    /** The JVM's clock; {@link #park} parks the thread (a {@code LockSupport.unpark} ends it early). */
    BusClock SYSTEM = new BusClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void park(long nanos) {
            if (nanos > 0) {
                LockSupport.parkNanos(nanos);
            }
        }

        @Override
        public String toString() {
            return "BusClock.SYSTEM";
        }
    };
}

package dev.ferry.bridge.bus;

import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when someone parks or calls {@link #advance}. Thread-safe. */
public final class FakeClock implements BusClock {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Override
    public long nanoTime() {
        return now.get();
    }

    @Override
    public void park(long nanos) {
        if (nanos > 0) {
            now.addAndGet(nanos);
        }
        Thread.yield();
    }

    public void advance(long nanos) {
        now.addAndGet(nanos);
    }
}

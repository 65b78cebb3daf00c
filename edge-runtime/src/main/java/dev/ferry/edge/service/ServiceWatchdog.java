package dev.ferry.edge.service;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.tinylog.Logger;

/**
 * Feeds the systemd watchdog: every half {@code WATCHDOG_USEC} it runs a liveness probe and sends
 * {@code WATCHDOG=1} only when the probe passes. A process whose facade, router or runtime thread
 * hangs stops feeding, and systemd kills and restarts it after {@code WatchdogSec}.
 *
 * <p>Callers may rely on: one daemon thread named {@code ferry-watchdog}; {@link #close()} ends it
 * promptly.
 */
final class ServiceWatchdog implements AutoCloseable {
    private final SdNotify notify;
    private final long periodNanos;
    private final BooleanSupplier probe;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private volatile long lastFed;
    private volatile boolean lastProbeFailed;

    ServiceWatchdog(SdNotify notify, long watchdogUsec, BooleanSupplier probe) {
        this.notify = notify;
        this.periodNanos = TimeUnit.MICROSECONDS.toNanos(Math.max(watchdogUsec / 2, 1000));
        this.probe = probe;
        this.thread = new Thread(this::loop, "ferry-watchdog");
        thread.setDaemon(true);
    }

    /** Parses {@code WATCHDOG_USEC}; 0 when unset, malformed or not meant for {@code pid}. */
    static long watchdogUsec(String usec, String watchdogPid, long pid) {
        if (usec == null) {
            return 0;
        }
        if (watchdogPid != null && !watchdogPid.equals(Long.toString(pid))) {
            return 0;                       // the watchdog belongs to another process (e.g. a wrapper)
        }
        try {
            long v = Long.parseLong(usec.trim());
            return v > 0 ? v : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    void start() {
        thread.start();
    }

    /** Nanos-time of the last successful feed, 0 before the first. */
    long lastFed() {
        return lastFed;
    }

    private void loop() {
        try {
            do {
                boolean ok;
                try {
                    ok = probe.getAsBoolean();
                } catch (RuntimeException e) {
                    ok = false;
                }
                if (ok) {
                    if (notify.send("WATCHDOG=1")) {
                        lastFed = System.nanoTime();
                    }
                    if (lastProbeFailed) {
                        Logger.info("watchdog: liveness probe passes again");
                    }
                } else if (!lastProbeFailed) {
                    Logger.warn("watchdog: liveness probe failed; not feeding the systemd watchdog");
                }
                lastProbeFailed = !ok;
            } while (!stop.await(periodNanos, TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop.countDown();
    }
}

package dev.ferry.bridge.device;

import java.util.List;
import org.tinylog.Logger;

/**
 * The line's delivery thread: takes events from every session's {@link Inbox}, a few at a time
 * per session in turn (one device's backlog does not hold up another's), and calls the
 * {@link DeviceListener}. After it makes room in an inbox it wakes the bus, which then stops
 * answering that MCU with RNR.
 */
final class EventPump implements Runnable {
    private static final int BATCH = 16;

    private final List<DeviceSession> sessions;
    private final DeviceListener listener;
    private final Runnable wakeBus;
    private final Object lock = new Object();
    private boolean signalled;
    private volatile boolean running = true;

    EventPump(List<DeviceSession> sessions, DeviceListener listener, Runnable wakeBus) {
        this.sessions = sessions;
        this.listener = listener;
        this.wakeBus = wakeBus;
    }

    /** Something was queued (any thread). */
    void signal() {
        synchronized (lock) {
            signalled = true;
            lock.notifyAll();
        }
    }

    /** Ends the loop after delivering what is queued now. */
    void stop() {
        running = false;
        signal();
    }

    @Override
    public void run() {
        while (true) {
            boolean delivered = false;
            for (DeviceSession s : sessions) {
                delivered |= drain(s);
            }
            if (delivered) {
                wakeBus.run();
                continue;
            }
            synchronized (lock) {
                if (!signalled && !running) {
                    return;
                }
                while (!signalled) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                signalled = false;
            }
        }
    }

    private boolean drain(DeviceSession s) {
        boolean any = false;
        for (int i = 0; i < BATCH; i++) {
            Inbox.Event e = s.inbox().poll();
            if (e == null) {
                break;
            }
            any = true;
            try {
                if (e instanceof Inbox.Arrived a) {
                    listener.onMessage(s, a.message());
                } else if (e instanceof Inbox.Changed c) {
                    listener.onStateChange(s, c.from(), c.to(), c.reason());
                }
            } catch (RuntimeException ex) {
                Logger.error(ex, "device listener failed on {} of {}", e.getClass().getSimpleName(), s.name());
            }
        }
        return any;
    }
}

package dev.ferry.bridge.bus;

import dev.ferry.bridge.line.SerialLineException;
import dev.ferry.bridge.line.ThreadTimerSlack;
import dev.ferry.rp.Message;
import dev.ferry.serial.link.PrimaryConfig;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.tinylog.Logger;

/**
 * The HDLC-NRM primary for every station on one serial line, on one thread that owns the line.
 *
 * <pre>
 *   loop:  line closed?  open it (on failure wait 100 ms, doubling to 5 s, and retry)
 *          pending broadcast?  send it (UI to FF, no answer)
 *          next due station, round-robin  ->  one turn:
 *              startTurn frames  ->  write  ->  read and decode until F = 1 or T1  ->  timeout
 *          line failed (unplugged, I/O error)?  close it, every station loses its link
 * </pre>
 *
 * <p>Callers may rely on: {@link #addStation} only before {@link #start}; all station clients
 * are called on the bus thread; {@link #stop()} lets the current turn finish, sends nothing
 * more, closes the port and joins the thread; {@link #broadcast} and {@link #snapshot} may be
 * called from any thread. The schedule itself is {@link Poller}'s.
 */
public final class BusMaster {
    private final String name;
    private final LinePort.Opener opener;
    private final BusConfig config;
    private final BusClock clock;
    private final Poller poller;
    private volatile LineState state = LineState.CLOSED;
    private volatile boolean running;
    private volatile Thread thread;
    private volatile long opens;
    private volatile long failures;

    /**
     * @param name the line's name (the port path), for logs, thread name and snapshots
     * @param opener opens the line, again after each failure
     */
    public BusMaster(String name, LinePort.Opener opener, BusConfig config, BusClock clock) {
        this.name = name;
        this.opener = opener;
        this.config = config;
        this.clock = clock;
        this.poller = new Poller(name, config, clock);
    }

    /**
     * Adds a station at {@code stationConfig.address()}, served by {@code client}.
     *
     * @throws IllegalStateException after {@link #start}
     * @throws IllegalArgumentException if the address is taken
     */
    public synchronized void addStation(PrimaryConfig stationConfig, StationClient client) {
        if (thread != null) {
            throw new IllegalStateException("stations must be added before start()");
        }
        poller.add(new StationSlot(stationConfig, client, clock));
    }

    /** Starts the bus thread. @throws IllegalStateException if already started */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("bus " + name + " already started");
        }
        running = true;
        state = LineState.OPENING;
        Thread t = new Thread(this::run, "ferry-bus-" + name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Finishes the current turn, sends nothing more, closes the port, joins the thread. Idempotent. */
    public void stop() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        LockSupport.unpark(t);
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends an idle wait early (new outbound work, inbound room); any thread. */
    public void wake() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Queues an unacknowledged UI message for all stations (address FF); no station answers.
     *
     * @return false if it does not fit one segment of the host's frame size or 16 are pending
     */
    public boolean broadcast(Message m) {
        boolean ok = poller.broadcast(m);
        if (ok) {
            wake();
        }
        return ok;
    }

    public String name() {
        return name;
    }

    public BusConfig config() {
        return config;
    }

    public LineState lineState() {
        return state;
    }

    /** Link figures of the station at {@code address} over its whole life. */
    public Optional<LinkStats> stationStats(int address) {
        return poller.slots().stream().filter(s -> s.address() == address).findFirst().map(StationSlot::stats);
    }

    /** The line's figures now. */
    public LineSnapshot snapshot() {
        LinkStats t = poller.totals();
        return new LineSnapshot(name, state, poller.bytesIn.get(), poller.bytesOut.get(),
                poller.frameCounters().good(), poller.frameCounters().snapshot(), poller.framesForeign.get(),
                poller.turns.get(), poller.upPolls.get(), t.timeouts(), t.retransmissions(), poller.broadcastsSent.get(), opens, failures);
    }

    private void run() {
        ThreadTimerSlack.setForCurrentThread(ThreadTimerSlack.BUS_THREAD_NANOS); // short response polls wake on time
        LinePort port = null;
        long backoff = config.openBackoffMinNanos();
        try {
            while (running) {
                if (port == null) {
                    port = tryOpen(backoff);
                    if (port == null) {
                        backoff = Math.min(backoff * 2, config.openBackoffMaxNanos());
                    }
                    continue;
                }
                try {
                    if (!poller.step(port)) {
                        clock.park(poller.idleWaitNanos(clock.nanoTime()));
                    }
                    backoff = config.openBackoffMinNanos();      // the line works: next failure starts over
                } catch (IOException e) {
                    failures++;
                    state = LineState.UNPLUGGED;
                    Logger.warn("bus {}: line failed ({}); closing, stations lose their links", name, e.getMessage());
                    port.close();
                    port = null;
                    poller.lineLost(e instanceof SerialLineException sle && sle.reason() == SerialLineException.Reason.UNPLUGGED
                            ? "line unplugged" : "line failed");
                    waitBeforeReopen(backoff);
                    backoff = Math.min(backoff * 2, config.openBackoffMaxNanos());
                } catch (RuntimeException e) {
                    Logger.error(e, "bus {}: unexpected failure in a turn; continuing", name);
                    clock.park(10_000_000L);
                }
            }
        } finally {
            if (port != null) {
                port.close();
            }
            state = LineState.CLOSED;
            Logger.info("bus {} stopped", name);
        }
    }

    private LinePort tryOpen(long backoff) {
        try {
            LinePort p = opener.open();
            opens++;
            state = LineState.OPEN;
            Logger.info("bus {}: line open", name);
            return p;
        } catch (IOException e) {
            if (backoff == config.openBackoffMinNanos() || backoff >= config.openBackoffMaxNanos()) {
                Logger.warn("bus {}: cannot open line ({}); retrying every {} ms at most", name, e.getMessage(),
                        config.openBackoffMaxNanos() / 1_000_000);
            }
            waitBeforeReopen(backoff);
            return null;
        }
    }

    private void waitBeforeReopen(long backoff) {
        long until = clock.nanoTime() + backoff;
        while (running && until - clock.nanoTime() > 0) {
            clock.park(until - clock.nanoTime());
        }
    }
}

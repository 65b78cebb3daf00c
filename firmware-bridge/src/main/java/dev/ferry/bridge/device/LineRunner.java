package dev.ferry.bridge.device;

import com.pi4j.context.Context;
import dev.ferry.bridge.bus.BusClock;
import dev.ferry.bridge.bus.BusMaster;
import dev.ferry.bridge.bus.LinePort;
import dev.ferry.bridge.bus.LineSnapshot;
import dev.ferry.bridge.bus.LinkStats;
import dev.ferry.bridge.bus.SerialLinePort;
import dev.ferry.rp.Message;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.tinylog.Logger;

/**
 * One serial line and its devices, ready to run: what the edge runtime builds from its config.
 *
 * <pre>
 *   LineRunner
 *    ├─ BusMaster ── thread "ferry-bus-&lt;port&gt;": owns the SerialLine, polls every address
 *    │     └─ StationSlot/PrimaryStation per address  ◄──►  DeviceSession (bus side)
 *    └─ EventPump ── thread "ferry-deliver-&lt;port&gt;": session inboxes ─► DeviceListener
 * </pre>
 *
 * <p>Callers may rely on: {@link #sessions()} is fixed at construction, in configuration order;
 * {@link #start()} and {@link #stop()} are each effective once; after {@link #stop()} every
 * session is {@link DeviceState#DETACHED}, the port is closed and both threads have ended (the
 * listener has seen every event queued before the stop).
 */
public final class LineRunner implements AutoCloseable {
    private final LineSpec spec;
    private final BusMaster bus;
    private final List<DeviceSession> sessions;
    private final EventPump pump;
    private final Thread pumpThread;
    private boolean started;
    private boolean stopped;

    /** A line whose devices have no reset pins (a device spec with one is refused). */
    public LineRunner(LineSpec line, List<DeviceSpec> devices, DeviceListener listener) {
        this(line, devices, listener, null);
    }

    /**
     * @param pi4j a Pi4J context for reset pins, or null if no device has one
     * @throws IllegalArgumentException on duplicate names or addresses, or a reset pin without context
     */
    public LineRunner(LineSpec line, List<DeviceSpec> devices, DeviceListener listener, Context pi4j) {
        this(line, devices, listener, SerialLinePort.opener(line.port(), line.baud(), line.lineOptions()),
                BusClock.SYSTEM, d -> {
                    if (pi4j == null) {
                        throw new IllegalArgumentException("device " + d.name() + " has a reset pin but no GPIO context");
                    }
                    return ResetPin.create(pi4j, d.name(), d.resetPin().getAsInt(), BusClock.SYSTEM);
                });
    }

    /** For tests: any port, any clock, any way of making reset pins. */
    LineRunner(LineSpec line, List<DeviceSpec> devices, DeviceListener listener, LinePort.Opener opener,
               BusClock clock, Function<DeviceSpec, ResetPin> resetPins) {
        this.spec = line;
        this.bus = new BusMaster(line.port(), opener, line.busConfig(), clock);
        Set<String> names = new HashSet<>();
        List<DeviceSession> list = new ArrayList<>();
        for (DeviceSpec d : devices) {
            if (!names.add(d.name())) {
                throw new IllegalArgumentException("two devices named " + d.name() + " on " + line.port());
            }
            Optional<ResetPin> reset = d.resetPin().isPresent() ? Optional.of(resetPins.apply(d)) : Optional.empty();
            list.add(new DeviceSession(d.name(), d.address(), d.session(), reset));
        }
        this.sessions = List.copyOf(list);
        this.pump = new EventPump(sessions, listener, bus::wake);
        this.pumpThread = new Thread(pump, "ferry-deliver-" + line.port());
        pumpThread.setDaemon(true);
        for (DeviceSession s : sessions) {
            int address = s.address();
            s.wire(bus::wake, pump::signal, () -> bus.stationStats(address).orElse(LinkStats.ZERO));
            int inbound = s.inboundCapacity();
            if (inbound < line.window()) {
                Logger.warn("device {}: inbound queue of {} messages is shorter than the window {} of {}; offering"
                        + " window {} at link set-up", s.name(), inbound, line.window(), line.port(), inbound);
            }
            bus.addStation(line.stationConfig(address, inbound), s.busSide());
        }
    }

    /** Starts the delivery thread and the bus. */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("line " + spec.port() + " already started");
        }
        started = true;
        pumpThread.start();
        bus.start();
    }

    /** Stops the bus (after its current turn), detaches every device, drains and ends delivery. */
    public synchronized void stop() {
        if (stopped || !started) {
            stopped = true;
            return;
        }
        stopped = true;
        bus.stop();
        for (DeviceSession s : sessions) {
            s.detach("line stopped");
        }
        pump.stop();
        try {
            pumpThread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    public LineSpec spec() {
        return spec;
    }

    /** The devices, in configuration order. */
    public List<DeviceSession> sessions() {
        return sessions;
    }

    public Optional<DeviceSession> session(String name) {
        return sessions.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The line's figures now. */
    public LineSnapshot lineSnapshot() {
        return bus.snapshot();
    }

    /** Every device now, in configuration order. */
    public List<DeviceSnapshot> deviceSnapshots() {
        return sessions.stream().map(DeviceSession::snapshot).toList();
    }

    /** Sends a UI message to all stations (no answer); false if too large or too many pending. */
    public boolean broadcast(Message m) {
        return bus.broadcast(m);
    }
}

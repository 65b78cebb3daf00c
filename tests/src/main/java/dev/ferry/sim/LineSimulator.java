package dev.ferry.sim;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tinylog.Logger;

/**
 * A simulated serial line between Ferry (the host) and N firmware processes (devices), built
 * from socat pseudo-terminal pairs.
 *
 * <pre>
 *  Ferry ── host pty ══ socat ══ inner ─┐                 ┌─ inner ══ socat ══ device pty 0 ── firmware 0
 *                                       ├─ Medium (pace, ─┤
 *                                       │  collide, noise)└─ inner ══ socat ══ device pty 1 ── firmware 1
 * </pre>
 *
 * <p>With one device and {@code bus == false} the line is a full-duplex UART (two independent
 * directions). Otherwise it is a half-duplex RS-485 bus: what any node sends reaches all other
 * nodes, and overlapping transmissions garble each other. Bytes move at the baud rate
 * (10 bits per character), with seeded bit errors and drops; see {@link Medium}.
 *
 * <p>Callers may rely on: after {@link #start()} every path in {@link #hostPath()} and
 * {@link #devicePaths()} exists and can be opened by path (jSerialComm or the C firmware);
 * {@link #unplugHost()} makes the host path vanish (an open port there fails with EIO) and
 * {@link #replugHost()} makes the same path appear again (a new {@code /dev/pts/N});
 * {@link #close()} removes everything it made. Buffers are bounded (8 KiB per direction per node).
 * With {@link Config#devicesExist()} the device paths are the firmware's own ptys, used directly.
 */
public final class LineSimulator implements AutoCloseable {

    /**
     * What to simulate.
     *
     * @param hostPath path Ferry opens
     * @param devicePaths one path per firmware process
     * @param workDir where the simulator's own pty links go
     * @param baud bits per second
     * @param bitErrorRate probability that each data bit is inverted
     * @param dropProbability probability that a character is lost
     * @param seed seed for every random decision
     * @param bus half-duplex shared medium (forced when there is more than one device)
     * @param devicesExist the device paths are ttys that already exist (the firmware opened its
     *     own pty and printed the slave's path); the simulator attaches to them without socat
     */
    public record Config(Path hostPath, List<Path> devicePaths, Path workDir, int baud, double bitErrorRate,
                         double dropProbability, long seed, boolean bus, boolean devicesExist) {
        public Config {
            Objects.requireNonNull(hostPath, "hostPath");
            Objects.requireNonNull(workDir, "workDir");
            devicePaths = List.copyOf(devicePaths);
            if (devicePaths.isEmpty()) {
                throw new IllegalArgumentException("at least one device path is required");
            }
            if (baud <= 0) {
                throw new IllegalArgumentException("baud must be > 0");
            }
            bus = bus || devicePaths.size() > 1;
        }

        /** Device paths made by the simulator (socat pty pairs), for firmware started with --tty. */
        public Config(Path hostPath, List<Path> devicePaths, Path workDir, int baud, double bitErrorRate,
                      double dropProbability, long seed, boolean bus) {
            this(hostPath, devicePaths, workDir, baud, bitErrorRate, dropProbability, seed, bus, false);
        }
    }

    private final Config config;
    private final SimCounters counters = new SimCounters();
    private final SimPort host;
    private final List<SimPort> devices = new ArrayList<>();
    private final Medium medium;
    private Thread mediumThread;
    private boolean closed;

    public LineSimulator(Config config) {
        this.config = config;
        this.medium = new Medium(config.baud(), config.bitErrorRate(), config.dropProbability(), config.seed(),
                counters);
        this.host = new SimPort("host", config.hostPath(), config.workDir().resolve("sim-host-inner"), counters,
                medium::wake);
        for (int i = 0; i < config.devicePaths().size(); i++) {
            Path path = config.devicePaths().get(i);
            devices.add(config.devicesExist() ? SimPort.existing("dev" + i, path, counters, medium::wake)
                    : new SimPort("dev" + i, path, config.workDir().resolve("sim-dev" + i + "-inner"), counters,
                            medium::wake));
        }
        List<SimPort> all = new ArrayList<>();
        all.add(host);
        all.addAll(devices);
        if (config.bus()) {
            medium.addLane(all, all);
        } else {
            medium.addLane(List.of(host), all);
            medium.addLane(List.of(devices.get(0)), all);
        }
    }

    /** Create every pty and start carrying bytes. */
    public synchronized LineSimulator start() throws IOException {
        if (mediumThread != null) {
            throw new IllegalStateException("already started");
        }
        try {
            host.plug();
            for (SimPort d : devices) {
                d.plug();
            }
        } catch (IOException e) {
            close();
            throw e;
        }
        mediumThread = new Thread(medium, "sim-medium");
        mediumThread.setDaemon(true);
        mediumThread.start();
        Logger.info("line simulator up: host {} devices {} at {} baud, BER {}, drop {}, {}", config.hostPath(),
                config.devicePaths(), config.baud(), config.bitErrorRate(), config.dropProbability(),
                config.bus() ? "half-duplex bus" : "full-duplex UART");
        return this;
    }

    /** The path Ferry opens. */
    public Path hostPath() {
        return config.hostPath();
    }

    /** The paths the firmware processes open, in configuration order. */
    public List<Path> devicePaths() {
        return config.devicePaths();
    }

    /** Live counters. */
    public SimCounters counters() {
        return counters;
    }

    /** The host pty vanishes: whoever has it open sees the tty go; pending bytes are lost. */
    public void unplugHost() {
        host.unplug();
        Logger.info("line simulator: host {} unplugged", config.hostPath());
    }

    /** The host path appears again (a new pty). */
    public void replugHost() throws IOException {
        host.plug();
        medium.wake();
        Logger.info("line simulator: host {} replugged", config.hostPath());
    }

    /** Whether the host pty currently exists. */
    public boolean isHostPlugged() {
        return host.isPlugged();
    }

    /** Stop and remove every pty. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        medium.stop();
        host.unplug();
        devices.forEach(SimPort::unplug);
        if (mediumThread != null) {
            try {
                mediumThread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Logger.info("line simulator down: {}", counters);
    }
}

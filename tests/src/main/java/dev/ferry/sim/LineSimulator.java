package dev.ferry.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.tinylog.Logger;

/**
 * A simulated serial line between Ferry (the host) and N firmware processes (devices), run by
 * the C program {@code tests/linesim} ({@code ferry-linesim}, built with make on first use).
 *
 * <pre>
 *  Ferry ── host pty ─┐                           ┌─ device pty 0 ── firmware 0
 *                     ├─ ferry-linesim (pace, ────┤
 *                     │   collide, noise)         └─ device pty 1 ── firmware 1
 * </pre>
 *
 * <p>With one device and {@code bus == false} the line is a full-duplex UART (two independent
 * directions). Otherwise it is a half-duplex RS-485 bus: what any node sends reaches all other
 * nodes, and overlapping transmissions garble each other. Bytes move at the baud rate (10 bits
 * per character, handed over per burst or per 16 bytes like a UART FIFO, never before their
 * slot ends), with seeded bit errors and drops; {@code tests/linesim/medium.h} has the details.
 *
 * <p>Callers may rely on: after {@link #start()} every path in {@link #hostPath()} and
 * {@link #devicePaths()} is a symlink to a pty slave the simulator keeps open, so programs may
 * open and close it freely (jSerialComm or the C firmware); {@link #unplugHost()} makes the host
 * path vanish (an open port there sees a hang-up) and {@link #replugHost()} makes the same path
 * appear again (a new {@code /dev/pts/N}); {@link #counters()} is a fresh snapshot;
 * {@link #close()} removes everything. Buffers are bounded (8 KiB per direction per node; a
 * full transmit buffer stops reading that node, a full receive buffer counts overruns).
 */
public final class LineSimulator implements AutoCloseable {

    private static final long START_TIMEOUT_SECONDS = 10;
    private static final long REPLY_TIMEOUT_SECONDS = 5;
    private static final long EXIT_TIMEOUT_SECONDS = 2;

    /**
     * What to simulate.
     *
     * @param hostPath path Ferry opens
     * @param devicePaths one path per firmware process
     * @param workDir a scratch directory of the caller's (the simulator itself needs none)
     * @param baud bits per second
     * @param bitErrorRate probability that each data bit is inverted
     * @param dropProbability probability that a character is lost
     * @param seed seed for every random decision
     * @param bus half-duplex shared medium (forced when there is more than one device)
     */
    public record Config(Path hostPath, List<Path> devicePaths, Path workDir, int baud, double bitErrorRate,
                         double dropProbability, long seed, boolean bus) {
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
            if (!(bitErrorRate >= 0 && bitErrorRate <= 1 && dropProbability >= 0 && dropProbability <= 1)) {
                throw new IllegalArgumentException("probabilities must be in [0, 1]");
            }
            bus = bus || devicePaths.size() > 1;
        }
    }

    private final Config config;
    /** Reply lines from ferry-linesim; one command at a time, so a few suffice. */
    private final BlockingQueue<String> replies = new ArrayBlockingQueue<>(16);
    private Process process;
    private OutputStream commands;
    private volatile boolean hostPlugged;
    private volatile SimCounters last = new SimCounters();
    private boolean closed;

    public LineSimulator(Config config) {
        this.config = config;
    }

    /** Starts ferry-linesim and returns once every pty link exists. */
    public synchronized LineSimulator start() throws IOException {
        if (process != null) {
            throw new IllegalStateException("already started");
        }
        List<String> cmd = new ArrayList<>();
        try {
            cmd.add(NativeTools.lineSim().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while building ferry-linesim");
        }
        cmd.addAll(List.of("--host", config.hostPath().toString()));
        for (Path d : config.devicePaths()) {
            cmd.addAll(List.of("--device", d.toString()));
        }
        cmd.addAll(List.of("--baud", Integer.toString(config.baud()),
                "--ber", Double.toString(config.bitErrorRate()),
                "--drop", Double.toString(config.dropProbability()),
                "--seed", Long.toString(config.seed())));
        if (config.bus()) {
            cmd.add("--bus");
        }
        process = new ProcessBuilder(cmd).start();
        commands = process.getOutputStream();
        pump(process.getInputStream(), "linesim-out", this::onReply);
        pump(process.getErrorStream(), "linesim-err", line -> Logger.warn("{}", line));
        String ready = await("READY", START_TIMEOUT_SECONDS);
        if (!"READY".equals(ready)) {
            close();
            throw new IOException("ferry-linesim did not start (" + (ready == null ? "no READY" : ready)
                    + "; see the warnings above)");
        }
        hostPlugged = true;
        Logger.info("line simulator up: host {} devices {} at {} baud, BER {}, drop {}, {}", config.hostPath(),
                config.devicePaths(), config.baud(), config.bitErrorRate(), config.dropProbability(),
                config.bus() ? "half-duplex bus" : "full-duplex UART");
        return this;
    }

    private void onReply(String line) {
        if (!replies.offer(line)) {
            Logger.warn("line simulator: unexpected output dropped: {}", line);
        }
    }

    private static void pump(InputStream in, String name, Consumer<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    /** The next reply line, or null if none came in time (or the process ended). */
    private String await(String what, long seconds) throws IOException {
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (true) {
                String line = replies.poll(50, TimeUnit.MILLISECONDS);
                if (line != null || System.nanoTime() - deadline > 0) {
                    return line;
                }
                if (!process.isAlive() && replies.isEmpty()) {
                    return null;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + what);
        }
    }

    /** Sends one command and returns its reply line. */
    private synchronized String command(String cmd) throws IOException {
        if (process == null || closed) {
            throw new IOException("line simulator not running");
        }
        replies.clear();
        commands.write((cmd + "\n").getBytes(StandardCharsets.US_ASCII));
        commands.flush();
        String reply = await(cmd, REPLY_TIMEOUT_SECONDS);
        if (reply == null) {
            throw new IOException("ferry-linesim did not answer " + cmd);
        }
        return reply;
    }

    private void expectOk(String cmd) throws IOException {
        String reply = command(cmd);
        if (!reply.equals("OK")) {
            throw new IOException("ferry-linesim refused " + cmd + ": " + reply);
        }
    }

    /** The path Ferry opens. */
    public Path hostPath() {
        return config.hostPath();
    }

    /** The paths the firmware processes open, in configuration order. */
    public List<Path> devicePaths() {
        return config.devicePaths();
    }

    /**
     * The counters now (a {@code stats} round trip to the simulator); after {@link #close()} or
     * if the simulator does not answer, the last ones it reported.
     */
    public SimCounters counters() {
        try {
            last = SimCounters.parse(command("stats"));
        } catch (IOException | IllegalArgumentException e) {
            Logger.debug("line simulator: no fresh counters: {}", e.toString());
        }
        return last;
    }

    /**
     * The turnaround accounting since the start or the last {@link #resetGaps()} (a {@code gaps}
     * round trip to the simulator).
     *
     * @throws IOException if the simulator is not running or does not answer
     */
    public SimGaps gaps() throws IOException {
        try {
            return SimGaps.parse(command("gaps"));
        } catch (IllegalArgumentException e) {
            throw new IOException("ferry-linesim: " + e.getMessage(), e);
        }
    }

    /** Starts the turnaround accounting afresh. @throws IOException as {@link #gaps()} */
    public void resetGaps() throws IOException {
        expectOk("gapsreset");
    }

    /** The host pty vanishes: whoever has it open sees the tty go; pending bytes are lost. */
    public void unplugHost() {
        try {
            expectOk("unplug");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        hostPlugged = false;
        Logger.info("line simulator: host {} unplugged", config.hostPath());
    }

    /** The host path appears again (a new pty). */
    public void replugHost() throws IOException {
        expectOk("replug");
        hostPlugged = true;
        Logger.info("line simulator: host {} replugged", config.hostPath());
    }

    /** Whether the host pty currently exists. */
    public boolean isHostPlugged() {
        return hostPlugged;
    }

    /** Stops the simulator; every pty and link is gone when this returns. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (process != null && process.isAlive()) {
            counters();
            try {
                command("quit");
            } catch (IOException e) {
                Logger.debug("line simulator: quit: {}", e.toString());
            }
        }
        closed = true;
        hostPlugged = false;
        if (process != null) {
            try {
                commands.close(); // end of input also stops it
            } catch (IOException e) {
                // already gone
            }
            stop(process);
        }
        try {
            Files.deleteIfExists(config.hostPath()); // ferry-linesim removes them; make sure
            for (Path d : config.devicePaths()) {
                Files.deleteIfExists(d);
            }
        } catch (IOException e) {
            Logger.warn("line simulator: could not remove links: {}", e.getMessage());
        }
        Logger.info("line simulator down: {}", last);
    }

    private static void stop(Process p) {
        try {
            if (!p.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroy(); // SIGTERM: it removes its links and exits
                if (!p.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

package dev.ferry.edge.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.tinylog.Logger;

/**
 * A simulated MCU ({@code simulate = true}) kept alive: the host-sim firmware process behind a
 * stable path that Ferry's line opens, restarted with the same identity (station address, frame
 * size, window, board name) whenever it dies.
 *
 * <pre>
 *   bus master ── opens ──► link (a symlink in a private directory, stable for the runtime's life)
 *                             └──► /dev/pts/N of the current firmware process
 *   supervisor thread: waits for the process to end ─► removes the link ─► back-off ─► restart ─► new link
 * </pre>
 *
 * <p>The link is removed the moment the process is seen dead, so the bus never reopens a stale
 * {@code /dev/pts/N} that the kernel may already have handed to another program: its reopen
 * attempts fail as "missing" until the new firmware's link is in place. The back-off between
 * restarts doubles from {@value #MIN_BACKOFF_MS} ms to {@value #MAX_BACKOFF_MS} ms and starts again
 * from the minimum once a process lived {@value #HEALTHY_MS} ms. Every restart is counted
 * ({@link #restarts()}) and logged.
 *
 * <p>Callers may rely on: {@link #linkPath()} never changes; {@link #close()} stops the supervisor
 * and the process and removes the link, and nothing is restarted after it.
 */
public final class SimulatedMcu implements AutoCloseable {
    static final long MIN_BACKOFF_MS = 100;
    static final long MAX_BACKOFF_MS = 5_000;
    static final long HEALTHY_MS = 10_000;

    private final Path boards;
    private final String name;
    private final int address;
    private final int frame;
    private final int window;
    private final Path dir;
    private final Path link;
    private final AtomicLong restarts = new AtomicLong();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread supervisor;
    private volatile FirmwareProcess current;

    private SimulatedMcu(Path boards, String name, int address, int frame, int window) throws IOException {
        this.boards = boards;
        this.name = name;
        this.address = address;
        this.frame = frame;
        this.window = window;
        this.dir = Files.createTempDirectory("ferry-sim-");
        this.link = dir.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_"));
        this.supervisor = new Thread(this::supervise, "ferry-sim-" + name);
        supervisor.setDaemon(true);
    }

    /**
     * Starts the firmware for device {@code name} and its supervisor.
     *
     * @throws IOException when the firmware cannot be built or started the first time
     */
    public static SimulatedMcu start(Path boards, String name, int address, int frame, int window)
            throws IOException {
        SimulatedMcu s = new SimulatedMcu(boards, name, address, frame, window);
        try {
            s.launch();
        } catch (IOException | RuntimeException e) {
            s.removeLink();
            Files.deleteIfExists(s.dir);
            throw e;
        }
        s.supervisor.start();
        return s;
    }

    private void launch() throws IOException {
        FirmwareProcess fw = FirmwareProcess.start(boards, address, frame, window, "host-sim");
        Path tmp = dir.resolve(link.getFileName() + ".new");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, Path.of(fw.ptyPath()));
        Files.move(tmp, link, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        current = fw;
    }

    private void supervise() {
        long backoff = MIN_BACKOFF_MS;
        while (closing.getCount() > 0) {
            FirmwareProcess fw = current;
            long started = System.nanoTime();
            int code = fw.awaitExit();
            if (closing.getCount() == 0) {
                return;
            }
            removeLink();
            long lived = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            if (lived >= HEALTHY_MS) {
                backoff = MIN_BACKOFF_MS;
            }
            Logger.warn("simulated MCU {} (pid {}) ended with exit code {} after {} ms; restarting in {} ms",
                    name, fw.pid(), code, lived, backoff);
            while (!awaitClosing(backoff)) {
                try {
                    launch();
                    restarts.incrementAndGet();
                    Logger.info("simulated MCU {} restarted (restart {}), pid {} on {}", name, restarts.get(),
                            current.pid(), current.ptyPath());
                    break;
                } catch (IOException | RuntimeException e) {
                    Logger.warn("simulated MCU {} could not be restarted: {}", name, e.getMessage());
                    backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
                }
            }
            backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        }
    }

    /** True when closing began during the wait. */
    private boolean awaitClosing(long ms) {
        try {
            return closing.await(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private void removeLink() {
        try {
            Files.deleteIfExists(link);
        } catch (IOException e) {
            Logger.warn("cannot remove {}: {}", link, e.getMessage());
        }
    }

    /** The stable path the line opens (a symlink to the current firmware's pty). */
    public Path linkPath() {
        return link;
    }

    /** The device name this firmware plays. */
    public String name() {
        return name;
    }

    /** How often the firmware was restarted after it died. */
    public long restarts() {
        return restarts.get();
    }

    /** The current firmware process's id. */
    public long pid() {
        return current.pid();
    }

    public boolean isAlive() {
        return current.isAlive();
    }

    @Override
    public void close() {
        closing.countDown();
        FirmwareProcess fw = current;
        if (fw != null) {
            fw.close();
        }
        try {
            supervisor.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        FirmwareProcess last = current;
        if (last != null && last != fw) {
            last.close();
        }
        removeLink();
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            Logger.debug("cannot remove {}: {}", dir, e.getMessage());
        }
    }
}

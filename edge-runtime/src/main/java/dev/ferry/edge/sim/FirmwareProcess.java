package dev.ferry.edge.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * The host-sim reference firmware as a child process on a pseudo-terminal it opens itself: what
 * the embedded default runs so that Ferry does something real with no hardware. The firmware is
 * built with {@code make} from the source tree when its binary is missing.
 */
public final class FirmwareProcess implements AutoCloseable {
    private final Process process;
    private final String ptyPath;

    private FirmwareProcess(Process process, String ptyPath) {
        this.process = process;
        this.ptyPath = ptyPath;
    }

    /**
     * Builds (if needed) and starts host-sim with station address {@code address}, frame size
     * {@code frame} and window {@code window}; returns once it printed its pty path.
     *
     * @throws IOException when the firmware cannot be found, built or started
     */
    public static FirmwareProcess start(Path boardsDir, int address, int frame, int window, String board)
            throws IOException {
        Path binary = ensureBuilt(boardsDir);
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--addr", Integer.toString(address),
                "--frame", Integer.toString(frame), "--window", Integer.toString(window), "--board", board));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        if (first == null || !first.startsWith("PTY ")) {
            p.destroyForcibly();
            throw new IOException("host-sim firmware did not print its pty (got: " + first + ")");
        }
        Thread drain = new Thread(() -> drain(out), "host-sim-stdout");
        drain.setDaemon(true);
        drain.start();
        String pty = first.substring(4).trim();
        Logger.info("simulated MCU '{}' (host-sim, pid {}) at station {} on {}", board, p.pid(), address, pty);
        return new FirmwareProcess(p, pty);
    }

    private static void drain(BufferedReader out) {
        try {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                Logger.debug("host-sim: {}", line);
            }
        } catch (IOException e) {
            Logger.debug("host-sim output closed: {}", e.getMessage());
        }
    }

    /** The firmware binary, built with make when it is not there yet. */
    static Path ensureBuilt(Path boardsDir) throws IOException {
        Path dir = boardsDir.resolve("host-sim");
        Path binary = dir.resolve("build/ferry-host-sim");
        if (Files.isExecutable(binary)) {
            return binary;
        }
        if (!Files.isRegularFile(dir.resolve("Makefile"))) {
            throw new IOException("host-sim firmware source not found under " + dir
                    + " (set -Dferry.boards=<repo>/boards)");
        }
        Logger.info("building host-sim firmware in {}", dir);
        Process make = new ProcessBuilder("make", "-s", "-C", dir.toString()).inheritIO().start();
        try {
            if (!make.waitFor(120, TimeUnit.SECONDS) || make.exitValue() != 0) {
                throw new IOException("building host-sim firmware failed (make -C " + dir + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while building host-sim", e);
        }
        return binary;
    }

    /** Finds the boards directory: -Dferry.boards, else ./boards or a parent's boards. */
    public static Path locateBoards() {
        String prop = System.getProperty("ferry.boards");
        if (prop != null) {
            return Path.of(prop);
        }
        Path p = Path.of("").toAbsolutePath();
        for (; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("boards/host-sim"))) {
                return p.resolve("boards");
            }
        }
        return Path.of("boards").toAbsolutePath();
    }

    public String ptyPath() {
        return ptyPath;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Blocks until the process ended; its exit code (-1 if interrupted while waiting). */
    public int awaitExit() {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}

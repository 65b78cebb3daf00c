package dev.ferry.bench;

import dev.ferry.sim.LauncherFlags;
import dev.ferry.sim.NativeTools;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java [flags] -jar ferry.jar --config F} as a child process, F being the TOML text the
 * caller gives (written to a temporary directory with the child's log). Closing it stops the JVM
 * (SIGTERM, then SIGKILL) and every process it started, and deletes the directory; a shutdown hook
 * does the same. {@link #rssKib} reads the JVM's VmRSS/VmHWM from /proc.
 */
final class FerryChild implements AutoCloseable {
    private final Process process;
    private final Path work;
    private final Thread hook = new Thread(this::close, "ferry-child-cleanup");
    private boolean closed;

    private FerryChild(Process process, Path work) {
        this.process = process;
        this.work = work;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts the runtime with {@code jvmFlags} (and {@code MALLOC_ARENA_MAX} when non-null) on {@code toml}. */
    static FerryChild start(Path jar, List<String> jvmFlags, String mallocArenaMax, String toml) throws IOException {
        Path work = Files.createTempDirectory("ferry-child");
        Path config = work.resolve("ferry.toml");
        Files.writeString(config, toml);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmFlags);
        cmd.add("-Dferry.boards=" + NativeTools.repoRoot().resolve("boards"));
        cmd.addAll(List.of("-jar", jar.toString(), "--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(work.resolve("ferry.log").toFile());
        if (mallocArenaMax != null) {
            pb.environment().put("MALLOC_ARENA_MAX", mallocArenaMax);
        }
        return new FerryChild(pb.start(), work);
    }

    /** A free loopback TCP port (free when asked; good enough for a benchmark). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The JVM options the installed service runs with ({@link LauncherFlags}). */
    static List<String> launcherFlags() throws IOException {
        return LauncherFlags.read();
    }

    /**
     * The launcher's flags followed by a benchmark's {@code --extra "-XX:..."} (space-separated),
     * which win because they come later: how a run weighs a flag against the package's set.
     */
    static List<String> launcherFlags(Map<String, String> args) throws IOException {
        List<String> flags = new ArrayList<>(LauncherFlags.read());
        String extra = args.getOrDefault("extra", "").trim();
        if (!extra.isEmpty()) {
            flags.addAll(List.of(extra.split("\\s+")));
        }
        return flags;
    }

    /** Waits until {@code port} on 127.0.0.1 accepts a connection; fails if the JVM exits or after 30 s. */
    void awaitPort(int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("ferry exited with " + process.exitValue() + ":\n" + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                process.waitFor(50, TimeUnit.MILLISECONDS); // poll interval, wakes early if it exits
            }
        }
        throw new IOException("ferry did not listen on " + port + " within 30 s:\n" + log());
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** What the child printed so far (empty if nothing). */
    String log() {
        try {
            Path f = work.resolve("ferry.log");
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** VmRSS and VmHWM of the JVM in KiB, from /proc/PID/status ({-1, -1} if gone). */
    long[] rssKib() {
        long rss = -1;
        long hwm = -1;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (l.startsWith("VmRSS:")) {
                    rss = Long.parseLong(l.replaceAll("[^0-9]", ""));
                } else if (l.startsWith("VmHWM:")) {
                    hwm = Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // process gone
        }
        return new long[] {rss, hwm};
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle h : children) {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
        try {
            BenchCleanup.deleteTree(work);
        } catch (IOException e) {
            // best effort
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // this is the hook
        }
    }
}

package dev.ferry.bench;

import dev.ferry.sim.NativeTools;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code java [flags] -jar ferry.jar --config F} as a child process: one simulated line (Ferry
 * starts host-sim on its own pty) and the LAN facade on a free loopback port. Closing it stops
 * the JVM (SIGTERM, then SIGKILL) and every process it started; a shutdown hook does the same.
 */
final class HttpBenchChild implements AutoCloseable {
    private final Process process;
    private final Path work;
    private final Thread hook = new Thread(this::close, "http-bench-cleanup");
    final int port;
    private boolean closed;

    private HttpBenchChild(Process process, Path work, int port) {
        this.process = process;
        this.work = work;
        this.port = port;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Starts the runtime with {@code jvmFlags} (and {@code MALLOC_ARENA_MAX} when non-null) and
     * waits until dev0 is ATTACHED.
     */
    static HttpBenchChild start(Path jar, List<String> jvmFlags, String mallocArenaMax) throws Exception {
        Path work = Files.createTempDirectory("ferry-rss");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = work.resolve("ferry.toml");
        Files.writeString(config, String.join("\n", "[http]", "listen = \"127.0.0.1:" + port + "\"",
                "[logging]", "level = \"warn\"",
                "[[lines]]", "name = \"sim0\"", "simulate = true", "baud = 115200",
                "[[devices]]", "name = \"dev0\"", "line = \"sim0\"", "address = 1", "mount = \"/dev0\"", ""));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmFlags);
        cmd.add("-Dferry.boards=" + NativeTools.repoRoot().resolve("boards"));
        cmd.addAll(List.of("-jar", jar.toString(), "--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(work.resolve("ferry.log").toFile());
        if (mallocArenaMax != null) {
            pb.environment().put("MALLOC_ARENA_MAX", mallocArenaMax);
        }
        HttpBenchChild c = new HttpBenchChild(pb.start(), work, port);
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpBenchLatency.awaitAttached(http, "http://127.0.0.1:" + port);
            return c;
        } catch (Exception e) {
            String log = Files.exists(work.resolve("ferry.log")) ? Files.readString(work.resolve("ferry.log")) : "";
            c.close();
            throw new IOException("ferry did not come up: " + e.getMessage() + "\n" + log, e);
        }
    }

    long pid() {
        return process.pid();
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
        try (var files = Files.walk(work)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
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

package dev.ferry.system;

import dev.ferry.sim.LauncherFlags;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ferry ARGS...} ({@code dev.ferry.edge.cli.Main}) as a child JVM on this test's class path,
 * its stdout and stderr collected line by line: for what only a separate process shows (exit
 * codes, the log a run writes, its resident memory). Closing it kills the process.
 */
final class FerryProcess implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private FerryProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "ferry-child-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code ferry args...} with extra JVM flags. */
    static FerryProcess start(List<String> jvmFlags, String... args) throws IOException {
        return start(java.util.Map.of(), jvmFlags, args);
    }

    /** Starts {@code ferry args...} with extra environment variables and JVM flags. */
    static FerryProcess start(java.util.Map<String, String> env, List<String> jvmFlags, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmFlags);
        cmd.add("-Dferry.boards=" + Repo.root().resolve("boards"));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.ferry.edge.cli.Main"));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("MALLOC_ARENA_MAX", "2");
        pb.environment().putAll(env);
        return new FerryProcess(pb.start());
    }

    /** The flags the service runs with (the Debian launcher's, {@link LauncherFlags}). */
    static List<String> packageJvmFlags() throws IOException {
        return LauncherFlags.read();
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l = in.readLine(); l != null; l = in.readLine()) {
                synchronized (lines) {
                    lines.add(l);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process went away
        } finally {
            synchronized (lines) {
                lines.notifyAll();
            }
        }
    }

    /** Waits for the process to exit and returns its exit code (fails after 60 s). */
    int exitCode() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("ferry did not exit:\n" + output());
        }
        reader.join(5000);
        return process.exitValue();
    }

    /** The first line matching {@code wanted}, waiting up to {@code seconds}; fails if the process ends first. */
    String awaitLine(Predicate<String> wanted, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (lines) {
            int seen = 0;
            while (true) {
                for (; seen < lines.size(); seen++) {
                    if (wanted.test(lines.get(seen))) {
                        return lines.get(seen);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !reader.isAlive())) {
                    throw new AssertionError("no such line from ferry (alive: " + process.isAlive() + "):\n" + output());
                }
                lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /** The HTTP port from the "lan: listening on http(s)://host:port/" line. */
    int httpPort() throws InterruptedException {
        String l = awaitLine(s -> s.contains("lan: listening on "), 60);
        Matcher m = Pattern.compile(":(\\d+)/").matcher(l.substring(l.indexOf("listening on")));
        if (!m.find()) {
            throw new AssertionError("no port in " + l);
        }
        return Integer.parseInt(m.group(1));
    }

    /** Lines so far. */
    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    String output() {
        return String.join("\n", lines());
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The child's resident set size in KiB (VmRSS). */
    long rssKib() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for " + process.pid());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}

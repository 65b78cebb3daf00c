package dev.ferry.bridge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A firmware process (host-sim) for system tests: started on a tty, killed on close. */
final class Firmware implements AutoCloseable {
    private static volatile boolean hostSimBuilt;

    private final List<String> command;
    private final Path log;
    private Process process;

    private Firmware(List<String> command, Path log) {
        this.command = command;
        this.log = log;
    }

    static Path repoRoot() {
        String root = System.getProperty("ferry.root");
        return (root != null ? Path.of(root) : Path.of("..")).toAbsolutePath().normalize();
    }

    /** Runs {@code make -C dir} once per JVM and directory; fails the test if it fails. */
    static synchronized void make(String dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("make", "--no-print-directory", "-C", repoRoot().resolve(dir).toString())
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("make -C " + dir + " failed:\n" + new String(out, StandardCharsets.UTF_8));
        }
    }

    /** Starts host-sim on {@code tty} at {@code address} with extra options. */
    static Firmware hostSim(Path tty, int address, Path logDir, String... extra) throws IOException, InterruptedException {
        return hostSim("build/ferry-host-sim", tty, address, logDir, extra);
    }

    /** Starts the version 1 only build of host-sim (an MCU with firmware from before version 2). */
    static Firmware hostSimV1(Path tty, int address, Path logDir, String... extra)
            throws IOException, InterruptedException {
        return hostSim("build/v1/ferry-host-sim", tty, address, logDir, extra);
    }

    private static Firmware hostSim(String binary, Path tty, int address, Path logDir, String... extra)
            throws IOException, InterruptedException {
        if (!hostSimBuilt) {
            make("boards/host-sim");
            hostSimBuilt = true;
        }
        List<String> cmd = new ArrayList<>(List.of(
                repoRoot().resolve("boards/host-sim").resolve(binary).toString(),
                "--tty", tty.toString(), "--addr", Integer.toString(address)));
        cmd.addAll(List.of(extra));
        Firmware f = new Firmware(cmd, logDir.resolve("host-sim-" + address + ".log"));
        f.start();
        return f;
    }

    /** (Re)starts the process with the same command line. */
    void start() throws IOException {
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** SIGKILL: the MCU loses power. Waits until it is gone. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(2, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}

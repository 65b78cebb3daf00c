package dev.ferry.system;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A {@code ferry run} process on a config file, its output in a log file beside it. */
final class GatewayProcess implements AutoCloseable {
    final Process process;
    final Path log;

    private GatewayProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code ferry run --config <config>} with this JVM's class path. */
    static GatewayProcess start(Path config) throws IOException {
        Path log = config.resolveSibling(config.getFileName() + ".log");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dferry.boards=" + Repo.root().resolve("boards"), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), "dev.ferry.edge.cli.Main",
                "run", "--config", config.toString());
        return new GatewayProcess(new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start(), log);
    }

    /** Waits until {@code port} accepts connections (the process prints nothing to wait on). */
    void awaitPort(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new AssertionError("gateway did not open port " + port + "; log:\n" + logText(), e);
                }
                try {
                    process.onExit().get(20, TimeUnit.MILLISECONDS);   // wakes early if it died
                } catch (TimeoutException stillRunning) {
                    // alive and not listening yet: try again
                }
            }
        }
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }
}

package dev.ferry.edge.app;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Ferry gateway as its own process ({@code ferry run --config FILE} on this test's class path),
 * its output (the log) in a file, for tests that need real processes: separate logs to count,
 * separate JVMs to kill. Closing it destroys the process.
 */
public final class GatewayProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private GatewayProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Writes {@code config} to {@code dir/name.toml} and starts a gateway on it, logging to {@code dir/name.log}. */
    public static GatewayProcess start(Path dir, String name, String config) throws IOException {
        Path file = dir.resolve(name + ".toml");
        Files.writeString(file, config);
        Path log = dir.resolve(name + ".log");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx96m",
                "-cp", System.getProperty("java.class.path"), "dev.ferry.edge.cli.Main", "run", "--config",
                file.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new GatewayProcess(p, log);
    }

    /** Waits until {@code port} on 127.0.0.1 accepts connections (the process prints nothing to wait on). */
    public void awaitPort(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new AssertionError("gateway did not open port " + port + "; log:\n" + logText(), e);
                }
                try {
                    process.onExit().get(20, TimeUnit.MILLISECONDS); // wakes early if it died
                } catch (java.util.concurrent.TimeoutException stillRunning) {
                    // alive, not listening yet
                }
            }
        }
    }

    /**
     * Observes {@code url} (a runtime resource, over server-sent events) until an event contains
     * {@code text}: the resource pushes each change (or a reading every second), so this wakes on
     * the event, no polling.
     */
    public static void awaitEvent(HttpClient http, String url, String text) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(60)).build();
        HttpResponse<java.io.InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        String last = "";
        try (java.io.BufferedReader in = new java.io.BufferedReader(
                new java.io.InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("data:")) {
                    last = line;
                    if (line.contains(text)) {
                        return;
                    }
                }
            }
        }
        throw new AssertionError("no event with " + text + " from " + url + " before it ended; last: " + last);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What the process wrote so far. */
    public String logText() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Lines the process wrote so far. */
    public long logLines() throws IOException {
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.count();
        }
    }

    public static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}

package dev.ferry.northbound;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Ferry ({@code dev.ferry.edge.cli.Main}) as its own process on the test's class path, so that it
 * can be killed with SIGKILL; its host-sim firmware is a child of it. Closing kills both.
 */
public final class FerryProcess implements AutoCloseable {
    /**
     * One client for every poll: a client per call would leave its keep-alive connection open
     * until collected, and polling every 100 ms soon holds more connections from 127.0.0.1 than
     * the facade admits per source (32).
     */
    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newBuilder()
            .connectTimeout(java.time.Duration.ofSeconds(5)).build();

    private final Process process;
    private final Path log;

    private FerryProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static FerryProcess start(Path dir, String toml) throws IOException {
        Path config = dir.resolve("ferry.toml");
        Files.writeString(config, toml);
        Path log = dir.resolve("ferry-" + System.nanoTime() + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx64m", "-Dferry.boards=" + root().resolve("boards"),
                "-cp", System.getProperty("java.class.path"), "dev.ferry.edge.cli.Main", "--config", config.toString()))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new FerryProcess(p, log);
    }

    public static Path root() {
        String r = System.getProperty("ferry.root");
        return (r != null ? Path.of(r) : Path.of("..")).toAbsolutePath().normalize();
    }

    /** The host-sim firmware processes Ferry started. */
    public List<ProcessHandle> firmware() {
        return process.descendants().filter(h -> h.info().command().orElse("").contains("host-sim")).toList();
    }

    /** SIGKILL, no goodbye: the broker must send the Will. Its firmware is killed too. */
    public void kill9() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        children.forEach(ProcessHandle::destroyForcibly);
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** GET {@code path} from Ferry's HTTP listener on {@code port}; the body ("" while it is not up yet). */
    public static String get(int port, String path) {
        try {
            java.net.http.HttpResponse<String> r = HTTP.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                            .timeout(java.time.Duration.ofSeconds(10)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            // anything else is no JSON a caller can match, but says what happened when a wait fails
            return r.statusCode() == 200 ? r.body() : "(HTTP " + r.statusCode() + ": " + r.body() + ")";
        } catch (IOException e) {
            return "(" + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /**
     * Asks {@code probe} every 100 ms until it answers true; fails after {@code seconds} with
     * {@code what} and the last answer of {@code state}.
     */
    public static void await(java.util.function.BooleanSupplier probe, int seconds, String what,
                             java.util.function.Supplier<String> state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!probe.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + seconds + " s; state: " + state.get());
            }
            Thread.sleep(100);      // polling an HTTP resource: there is no event to wait on
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill9();
    }
}

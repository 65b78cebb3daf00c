package dev.ferry.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.tinylog.Logger;

/**
 * Two linked pseudo-terminals made by {@code socat}: bytes written to one come out of the other.
 * Each end is a symlink to a {@code /dev/pts/N} slave, so both sides can be opened by path.
 *
 * <p>Callers may rely on: the constructor returns only when socat reported its transfer loop
 * running and both links exist (or throws after a bounded wait); {@link #close()} kills socat,
 * waits for it, and leaves neither link behind, so the same paths can be used again.
 */
public final class PtyPair implements AutoCloseable {

    private static final long READY_TIMEOUT_SECONDS = 10;

    private final Path outer;
    private final Path inner;
    private final Process process;

    /**
     * Start socat linking {@code outer} (for the program under test) and {@code inner} (for the
     * simulator).
     *
     * @throws IOException if socat cannot start or does not become ready in time
     */
    public PtyPair(Path outer, Path inner) throws IOException {
        this.outer = outer;
        this.inner = inner;
        Files.deleteIfExists(outer);
        Files.deleteIfExists(inner);
        process = new ProcessBuilder("socat", "-d", "-d",
                "pty,raw,echo=0,link=" + outer, "pty,raw,echo=0,link=" + inner)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread drain = new Thread(() -> drainStderr(ready), "socat-" + outer.getFileName());
        drain.setDaemon(true);
        drain.start();
        try {
            if (!ready.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS) || !Files.exists(outer) || !Files.exists(inner)) {
                throw new IOException("socat exited before linking " + outer + " and " + inner);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new IOException("interrupted while starting socat", e);
        } catch (ExecutionException | TimeoutException | IOException e) {
            kill();
            throw e instanceof IOException io ? io : new IOException("socat did not become ready for " + outer, e);
        }
    }

    private void drainStderr(CompletableFuture<Boolean> ready) {
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.contains("starting data transfer loop")) {
                    ready.complete(true);
                } else if (line.contains(" E ")) {
                    Logger.warn("socat {}: {}", outer, line);
                }
            }
        } catch (IOException e) {
            // socat gone
        }
        ready.complete(false);
    }

    /** The end given to the program under test. */
    public Path outer() {
        return outer;
    }

    /** The end the simulator reads and writes. */
    public Path inner() {
        return inner;
    }

    /** Whether socat is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    private void kill() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kill socat: both ptys vanish, and whoever has them open sees the tty go. */
    @Override
    public void close() {
        kill();
        try {
            Files.deleteIfExists(outer); // socat removes them on SIGTERM; make sure
            Files.deleteIfExists(inner);
        } catch (IOException e) {
            Logger.warn("could not remove pty links {} / {}: {}", outer, inner, e.getMessage());
        }
    }
}

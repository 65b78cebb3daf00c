package dev.ferry.bridge.line;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Test helper: two linked pseudo-terminals made by socat; ready when socat says so. */
final class SocatPair implements AutoCloseable {

    final Path a;
    final Path b;
    private final Process process;

    SocatPair(Path dir, String name) throws Exception {
        a = dir.resolve(name + "-a");
        b = dir.resolve(name + "-b");
        process = new ProcessBuilder("socat", "-d", "-d",
                "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b).start();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread drain = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.contains("starting data transfer loop")) {
                        ready.complete(true);
                    }
                }
            } catch (IOException e) {
                // process gone
            }
            ready.complete(false);
        }, "socat-stderr-" + name);
        drain.setDaemon(true);
        drain.start();
        if (!ready.get(10, TimeUnit.SECONDS) || !Files.exists(a) || !Files.exists(b)) {
            process.destroyForcibly();
            throw new IllegalStateException("socat did not become ready");
        }
    }

    /** Kill socat (the ptys vanish) and wait for it to exit. */
    void kill() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws Exception {
        kill();
    }
}

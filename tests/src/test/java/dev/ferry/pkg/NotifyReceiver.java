package dev.ferry.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * Stands in for systemd's notification socket: a unix datagram socket (socat UNIX-RECV) that any
 * user may write to. {@link #ready} completes at READY=1, {@link #watchdog} at the first
 * WATCHDOG=1 after it.
 */
final class NotifyReceiver implements AutoCloseable {
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    final CompletableFuture<Void> watchdog = new CompletableFuture<>();
    private final CompletableFuture<Void> bound = new CompletableFuture<>();
    private final Path socket;
    private final Process socat;
    private final StringBuilder received = new StringBuilder();

    NotifyReceiver(Path socket) throws IOException {
        this.socket = socket;
        Files.deleteIfExists(socket);
        socat = new ProcessBuilder("socat", "-d", "-d", "-u", "UNIX-RECV:" + socket + ",mode=0666", "STDOUT").start();
        Thread t = new Thread(() -> pump(socat.getInputStream()), "notify-receiver");
        t.setDaemon(true);
        t.start();
        Thread e = new Thread(this::watchLog, "notify-receiver-log");
        e.setDaemon(true);
        e.start();
    }

    /** Waits until socat has bound the socket (it logs "starting data transfer loop"). */
    NotifyReceiver awaitBound() throws Exception {
        bound.get(10, java.util.concurrent.TimeUnit.SECONDS);
        return this;
    }

    private void watchLog() {
        try (java.io.BufferedReader r = new java.io.BufferedReader(
                new java.io.InputStreamReader(socat.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.contains("starting data transfer loop")) {
                    bound.complete(null);
                }
            }
        } catch (IOException e) {
            // socat ended
        }
        bound.completeExceptionally(new AssertionError("socat ended before binding " + socket));
    }

    Path socket() {
        return socket;
    }

    String received() {
        synchronized (received) {
            return received.toString();
        }
    }

    private void pump(InputStream in) {
        byte[] buf = new byte[1024];
        try {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                String all;
                synchronized (received) {
                    if (received.length() < 100_000) {
                        received.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                    all = received.toString();
                }
                int r = all.indexOf("READY=1");
                if (r >= 0) {
                    ready.complete(null);
                    if (all.indexOf("WATCHDOG=1", r) >= 0) {
                        watchdog.complete(null);
                    }
                }
            }
        } catch (IOException e) {
            // socat ended
        }
    }

    @Override
    public void close() throws IOException {
        socat.destroy();
        try {
            socat.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(socket);
    }
}

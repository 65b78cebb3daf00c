package dev.ferry.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A {@link FerryChild} with one simulated line (Ferry starts host-sim on its own pty) and the LAN
 * facade on a free loopback port. Closing it stops the JVM and every process it started.
 */
final class HttpBenchChild implements AutoCloseable {
    private final FerryChild child;
    final int port;

    private HttpBenchChild(FerryChild child, int port) {
        this.child = child;
        this.port = port;
    }

    /**
     * Starts the runtime with {@code jvmFlags} (and {@code MALLOC_ARENA_MAX} when non-null) and
     * waits until dev0 is ATTACHED.
     */
    static HttpBenchChild start(Path jar, List<String> jvmFlags, String mallocArenaMax) throws Exception {
        int port = FerryChild.freePort();
        String toml = String.join("\n", "[http]", "listen = \"127.0.0.1:" + port + "\"",
                "[logging]", "level = \"warn\"",
                "[[lines]]", "name = \"sim0\"", "simulate = true", "baud = 115200",
                "[[devices]]", "name = \"dev0\"", "line = \"sim0\"", "address = 1", "mount = \"/dev0\"", "");
        FerryChild c = FerryChild.start(jar, jvmFlags, mallocArenaMax, toml);
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpBenchLatency.awaitAttached(http, "http://127.0.0.1:" + port);
            return new HttpBenchChild(c, port);
        } catch (Exception e) {
            String log = c.log();
            c.close();
            throw new IOException("ferry did not come up: " + e.getMessage() + "\n" + log, e);
        }
    }

    long pid() {
        return child.pid();
    }

    /** VmRSS and VmHWM of the JVM in KiB, from /proc/PID/status ({-1, -1} if gone). */
    long[] rssKib() {
        return child.rssKib();
    }

    @Override
    public void close() {
        child.close();
    }
}

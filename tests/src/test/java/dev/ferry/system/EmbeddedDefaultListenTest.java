package dev.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code java -jar ferry.jar --listen ADDR} as a user types it: the embedded default serves on
 * ADDR (its welcome names it, the simulated MCU answers there) and stops cleanly on SIGTERM; a
 * port already taken is one sentence and exit 1, not a stack trace.
 */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedDefaultListenTest {
    private static final String END = "\u0000end";

    /** The jar as a child process; its merged output arrives line by line in {@link #lines}. */
    private static final class Ferry implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final List<String> seen = new ArrayList<>();

        Ferry(String... args) throws IOException {
            Path jar = Repo.root().resolve("edge-runtime/target/ferry.jar");
            assumeTrue(Files.isRegularFile(jar), "no " + jar + " (mvn package builds it)");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dferry.boards=" + Repo.root().resolve("boards"), "-jar", jar.toString()));
            cmd.addAll(List.of(args));
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            Thread t = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l = in.readLine(); l != null; l = in.readLine()) {
                        lines.add(l);
                    }
                } catch (IOException e) {
                    // the process ended
                }
                lines.add(END);
            }, "ferry-output");
            t.setDaemon(true);
            t.start();
        }

        /** Waits for a line containing {@code text}; null if the output ended first. */
        String await(String text) throws InterruptedException {
            for (String l = lines.poll(60, TimeUnit.SECONDS); l != null && !l.equals(END); l = lines.poll(60, TimeUnit.SECONDS)) {
                seen.add(l);
                if (l.contains(text)) {
                    return l;
                }
            }
            return null;
        }

        /** Everything printed until the output ends. */
        String rest() throws InterruptedException {
            while (await("\u0000never") != null) {
                // drained by await
            }
            return String.join("\n", seen);
        }

        @Override
        public void close() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void servesTheSimulatedMcuOnTheGivenAddress() throws Exception {
        int port = freePort();
        String base = "http://127.0.0.1:" + port;
        try (Ferry f = new Ferry("--listen", "127.0.0.1:" + port)) {
            String welcome = f.await("status page:  " + base + "/");
            assertNotNull(welcome, () -> "no welcome naming " + base + ":\n" + String.join("\n", f.seen));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            Repo.awaitAttached(http, base, "dev0");
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/dev0/sensors/temp"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().matches("(?s).*-?[0-9]+(\\.[0-9]+)?.*"), "no reading in " + r.body());
            f.process.toHandle().destroy();     // SIGTERM, as systemctl stop; Process.destroy() would close our pipe
            assertTrue(f.process.waitFor(30, TimeUnit.SECONDS), "still running 30 s after SIGTERM");
            int code = f.process.exitValue();
            String out = f.rest();
            assertTrue(code == 0 || code == 143, "exit " + code + "\n" + out);
            assertTrue(out.contains("ferry stopped"), out);
        }
    }

    @Test
    void aPortAlreadyTakenIsOneSentenceAndExitOne() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Ferry f = new Ferry("--listen", "127.0.0.1:" + busy.getLocalPort())) {
            assertTrue(f.process.waitFor(60, TimeUnit.SECONDS), "still running with its port taken");
            String out = f.rest();
            assertEquals(1, f.process.exitValue(), out);
            assertTrue(out.contains("ferry: failed to start: cannot bind 127.0.0.1:" + busy.getLocalPort()
                    + ": address already in use"), out);
            assertFalse(out.contains("\tat ") || out.contains("Exception"), "stack trace printed:\n" + out);
        }
    }
}

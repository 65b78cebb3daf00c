package dev.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.app.FerryRuntime;
import dev.ferry.edge.config.ConfigLoader;
import dev.ferry.edge.config.FerryConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 15: with {@code simulate = true}, a firmware process that dies is restarted with the same
 * identity and the device attaches again; a careless kill (twice, SIGKILL) must not leave Ferry
 * retrying a stale pty.
 */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SimulatedMcuRestartTest {
    private static final String CONFIG = String.join("\n",
            "[http]", "listen = \"127.0.0.1:0\"",
            "[limits]", "request_timeout_ms = 3000",
            "[[lines]]", "name = \"sim0\"", "simulate = true",
            "[[devices]]", "name = \"dev0\"", "line = \"sim0\"", "address = 7", "mount = \"/dev0\"", "");
    private static final Pattern PID = Pattern.compile("\"simulator\":\\{\"pid\":(\\d+),\"restarts\":(\\d+)}");

    private FerryRuntime ferry;

    @AfterEach
    void stop() {
        if (ferry != null) {
            ferry.close();
        }
    }

    @Test
    void killedFirmwareIsRestartedAndTheDeviceAnswersAgain() throws Exception {
        System.setProperty("ferry.boards", Repo.root().resolve("boards").toString());
        FerryConfig cfg = ConfigLoader.parse(CONFIG, "restart.toml");
        ferry = FerryRuntime.start(cfg);
        String base = "http://127.0.0.1:" + ferry.httpPort();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Repo.awaitAttached(http, base, "dev0");
        long first = simulator(http, base)[0];

        for (int round = 1; round <= 2; round++) {
            long before = simulator(http, base)[0];
            ProcessHandle.of(before).orElseThrow().destroyForcibly();
            // the lines view is pushed every second: wait for the restart to be counted
            Repo.awaitEvent(http, base + "/%23runtime/lines", "\"restarts\":" + round + "}");
            // attached again after losing the link once more (not the stale ATTACHED of before the kill)
            int resets = round;
            Repo.awaitEvent(http, base + "/%23runtime/devices", line -> line.contains("\"state\":\"ATTACHED\"")
                    && linkResets(line) >= resets);
            long[] now = simulator(http, base);
            assertNotEquals(before, now[0], "a new firmware process serves the line");
            assertEquals(round, now[1]);
            HttpResponse<String> info = get(http, base + "/dev0/info");
            assertEquals(200, info.statusCode(), info.body());
            assertTrue(info.body().contains("\"board\":\"host-sim\""), info.body());
        }
        assertNotEquals(first, simulator(http, base)[0]);
        assertEquals(2L, ferry.metrics().snapshot().get(
                dev.ferry.edge.metrics.Metrics.key("ferry_sim_restarts_total", "device", "dev0")));
    }

    private static long linkResets(String json) {
        Matcher m = Pattern.compile("\"link_resets\":(\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static long[] simulator(HttpClient http, String base) throws Exception {
        String body = get(http, base + "/%23runtime/lines").body();
        Matcher m = PID.matcher(body);
        assertTrue(m.find(), body);
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }
}

package dev.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.bench.SseSwarm;
import dev.ferry.edge.app.FerryRuntime;
import dev.ferry.edge.config.ConfigLoader;
import dev.ferry.sim.PacedMcu;
import dev.ferry.system.ObservingClients.Seen;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared observations against real parts: LAN clients on loopback (SSE and WebSocket) → Ferry's
 * facade → router → shared endpoint → bus master → the line simulator (115200 baud) → the host-sim
 * firmware as its own process. The firmware lists its open streams ({@code GET <r>#streams}), and
 * its readings carry a counter {@code n} that every reading (observed or read) takes, so a gap in
 * what a subscriber saw, or a GET that crossed the line, shows.
 */
@Tag("system")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SharedObservationsSystemTest {
    private static final String TEMP = "/dev0/sensors/temp";
    private static final String PERIOD = "100";

    @TempDir
    java.nio.file.Path dir;

    private PacedMcu mcu;
    private FerryRuntime ferry;
    private ObservingClients clients;
    private long linkResetsAtStart;

    /**
     * Starts the MCU and Ferry. The line forgives 20 unanswered polls in a row: on a loaded
     * machine the paced rig (simulator, firmware, bus thread) can miss a few, and a device lost
     * in the middle of a test that is about something else would only blur it. The unplug test
     * uses the defaults ({@link #start(int, boolean)}), so its figures are what users get.
     */
    private void start(int lingerMs) throws Exception {
        start(lingerMs, true);
    }

    private void start(int lingerMs, boolean forgiving) throws Exception {
        System.setProperty("ferry.boards", Repo.root().resolve("boards").toString());
        mcu = PacedMcu.start(dir, 115200, 1);
        ferry = FerryRuntime.start(ConfigLoader.parse(String.join("\n",
                "[http]", "listen = \"127.0.0.1:0\"", "max_connections = 1024", "max_connections_per_source = 1024",
                "[limits]", "request_timeout_ms = 5000", "max_streams = 2048",
                "[observations]", "linger_ms = " + lingerMs, "max_subscribers_per_resource = 512",
                "max_subscribers = 1024",
                "[logging]", "level = \"info\"",
                "[[lines]]", "name = \"bus\"", "port = \"" + mcu.hostPath() + "\"", "baud = 115200",
                forgiving ? "down_after = 20" : "",
                "[[devices]]", "name = \"dev0\"", "line = \"bus\"", "address = 1", "mount = \"/dev0\"", ""),
                "shared.toml"));
        clients = new ObservingClients(ferry.httpPort());
        Repo.awaitAttached(clients.http, clients.base, "dev0");
        linkResetsAtStart = linkResets();
    }

    @AfterEach
    void stop() throws Exception {
        if (clients != null) {
            clients.close();
        }
        if (ferry != null) {
            ferry.close();
        }
        if (mcu != null) {
            mcu.close();
        }
    }

    /**
     * The paths of the MCU's open streams of /sensors/temp, as the firmware itself lists them;
     * fails if the MCU was lost meanwhile (a re-linked MCU has dropped its streams, so the list
     * would prove nothing).
     */
    private List<String> mcuStreams() throws Exception {
        assertEquals(linkResetsAtStart, linkResets(),
                "the MCU was lost during the test (a loaded machine?): its stream list proves nothing now");
        return mcuStreamsAfterLoss();
    }

    /** How often the MCU's link was set up again, from /#runtime/devices. */
    private long linkResets() throws Exception {
        Matcher m = Pattern.compile("\"link_resets\":(\\d+)").matcher(clients.get("/%23runtime/devices").body());
        assertTrue(m.find());
        return Long.parseLong(m.group(1));
    }

    private List<String> mcuStreamsAfterLoss() throws Exception {
        HttpResponse<String> r = clients.get("/dev0/sensors/temp%23streams");
        assertEquals(200, r.statusCode(), r.body());
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]+)\"").matcher(r.body());
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private String observations() throws Exception {
        return clients.get("/%23runtime/observations").body();
    }

    private long deviceMessagesOut() {
        return ferry.metrics().value("ferry_device_messages_out_total", "device", "dev0");
    }


    @Test
    void twoHundredSseAndTwentyWebSocketSubscribersShareOneMcuStream() throws Exception {
        start(2000);
        SseSwarm swarm = clients.sse(TEMP, PERIOD, 200, List.of());
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            names.add("sse-" + i);
        }
        for (int i = 0; i < 20; i++) {
            clients.ws("ws-" + i, TEMP, PERIOD);
            names.add("ws-" + i);
        }
        ObservingClients.eventually(() -> swarm.streaming() == 200, 30, "200 SSE responses open");
        ObservingClients.eventually(() -> names.stream().allMatch(n -> clients.liveNs(n).size() >= 1), 30,
                "every subscriber has a first reading");
        long target = clients.liveNs("ws-19").get(0) + 15;   // 15 updates after the last one joined
        ObservingClients.eventually(() -> names.stream().allMatch(n -> {
            List<Long> ns = clients.liveNs(n);
            return ns.get(ns.size() - 1) >= target;
        }), 60, "every subscriber reached reading " + target);
        for (String n : names) {
            clients.assertNoSilentGap(n);
        }
        assertEquals(1, mcuStreams().size(), "one stream on the MCU for 220 subscribers");
        assertEquals(0, ferry.metrics().value("ferry_device_rnr_total", "device", "dev0", "direction", "to_device"),
                "the fan-out never made the host answer the MCU with RNR");
        String view = observations();
        assertTrue(view.contains("\"subscribers\":{\"lan\":220}"), view);
        assertTrue(view.contains("\"resource\":\"/dev0/sensors/temp\""), view);
        assertTrue(view.contains("\"upstream\":\"/dev0/sensors/temp#streams/"), view);
        System.out.println("shared: 220 subscribers, readings up to " + target + "; view " + view);
    }

    @Test
    void theMcuStreamEndsAfterTheLingerAndANewSubscriberReopensIt() throws Exception {
        start(2500);
        SseSwarm swarm = clients.sse(TEMP, PERIOD, 2, List.of());
        ObservingClients.eventually(() -> clients.liveNs("sse-1").size() >= 2, 30, "readings");
        List<String> first = mcuStreams();
        assertEquals(1, first.size());
        swarm.close(0);
        swarm.close(1);
        ObservingClients.eventually(() -> ferry.metrics().snapshot().get("ferry_observations_subscribers") == 0, 10,
                "both subscribers gone");
        String lingering = observations();
        assertTrue(lingering.contains("\"lingering\":true"), lingering);
        assertEquals(first, mcuStreams(), "a page reload's worth of time later the MCU stream is still open");
        ObservingClients.eventually(() -> {
            try {
                return mcuStreams().isEmpty();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, 15, "the MCU stream cancelled after the linger");
        assertFalse(observations().contains("/dev0/sensors/temp\""), "the shared observation is gone");
        SseSwarm again = clients.sse(TEMP, PERIOD, 1, List.of());
        ObservingClients.eventually(() -> again.streaming() == 1 && !clients.liveNs("sse-0").isEmpty(), 30, "reopened");
        List<String> second = mcuStreams();
        assertEquals(1, second.size());
        assertNotEquals(first, second, "a new MCU stream");
    }

    @Test
    void aPausedAndANonReadingSubscriberDoNotSlowTheOthers() throws Exception {
        start(2000);
        SseSwarm swarm = clients.sse(TEMP, PERIOD, 11, List.of());
        WebSocket paused = clients.ws("paused", TEMP, PERIOD);
        String firstFrame = clients.frame("paused", "\"to\":\"/obs/1\"");
        Matcher from = Pattern.compile("\"from\":\"([^\"]+)\"").matcher(firstFrame);
        assertTrue(from.find(), firstFrame);
        String stream = from.group(1);
        assertTrue(stream.startsWith(TEMP + "#obs/"), stream);
        ObservingClients.eventually(() -> swarm.streaming() == 11, 30, "SSE open");
        swarm.stopReading(10);
        paused.sendText("{\"verb\":\"PUT\",\"to\":\"" + stream + "#flow\",\"from\":\"/flow/1\",\"type\":\"j\","
                + "\"body\":false}", true).get(5, TimeUnit.SECONDS);
        assertTrue(clients.frame("paused", "\"to\":\"/flow/1\"").contains("\"body\":false"));
        int pausedAt = clients.seen("paused").size();
        long target = clients.liveNs("sse-0").get(clients.liveNs("sse-0").size() - 1) + 30;
        ObservingClients.eventually(() -> {
            for (int i = 0; i < 10; i++) {
                List<Long> ns = clients.liveNs("sse-" + i);
                if (ns.isEmpty() || ns.get(ns.size() - 1) < target) {
                    return false;
                }
            }
            return true;
        }, 60, "the ten readers reached reading " + target);
        for (int i = 0; i < 10; i++) {
            clients.assertNoSilentGap("sse-" + i);
        }
        assertEquals(pausedAt, clients.seen("paused").stream().filter(x -> !x.stale()).count(),
                "the paused subscriber got no readings (a lost device's stale notice reaches it, though)");
        assertTrue(observations().contains("\"upstream_paused\":false"), "one paused subscriber does not pause the MCU");
        paused.sendText("{\"verb\":\"PUT\",\"to\":\"" + stream + "#flow\",\"from\":\"/flow/2\",\"type\":\"j\","
                + "\"body\":true}", true).get(5, TimeUnit.SECONDS);
        ObservingClients.eventually(() -> clients.seen("paused").stream().filter(x -> !x.stale()).count() > pausedAt,
                10, "resumed");
        Seen latest = clients.seen("paused").stream().filter(x -> !x.stale()).skip(pausedAt).findFirst().orElseThrow();
        assertTrue(latest.cached(), "resumed: first the latest value, marked cached: " + latest);
        assertTrue(latest.n() >= target, "it skipped to the latest value: " + latest);
        assertTrue(latest.ageMs() >= 0);
        assertTrue(observations().contains("\"paused\":"), "the view counts skipped updates");
    }

    @Test
    void aLostDeviceMarksEverySubscriberStaleAndReplugResumesThem() throws Exception {
        start(2000, false);
        SseSwarm swarm = clients.sse(TEMP, PERIOD, 20, List.of());
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            names.add("sse-" + i);
        }
        for (int i = 0; i < 5; i++) {
            clients.ws("ws-" + i, TEMP, PERIOD);
            names.add("ws-" + i);
        }
        ObservingClients.eventually(() -> swarm.streaming() == 20
                && names.stream().allMatch(n -> clients.liveNs(n).size() >= 2), 30, "everyone has readings");
        java.util.concurrent.atomic.AtomicLong lostSeen = new java.util.concurrent.atomic.AtomicLong();
        SseSwarm devices = new SseSwarm(new java.net.InetSocketAddress("127.0.0.1", ferry.httpPort()),
                "/%23runtime/devices", null, List.of(), 1, e -> {
                    if (e.data().contains("\"state\":\"LOST\"")) {
                        lostSeen.compareAndSet(0, e.nanos());
                    }
                });
        long killed = System.nanoTime();
        mcu.kill();
        ObservingClients.eventually(() -> names.stream().allMatch(n -> clients.seen(n).stream().anyMatch(Seen::stale)),
                30, "every subscriber told the device is down");
        List<Long> delays = new ArrayList<>();
        for (String n : names) {
            Seen stale = clients.seen(n).stream().filter(Seen::stale).findFirst().orElseThrow();
            delays.add(TimeUnit.NANOSECONDS.toMillis(stale.nanos() - killed));
            assertTrue(stale.n() >= 0, n + ": the stale event carries the last value");
            assertTrue(stale.ageMs() >= 0, n + ": and its age");
        }
        delays.sort(null);
        ObservingClients.eventually(() -> lostSeen.get() != 0, 10, "/#runtime/devices says LOST");
        long lostMs = TimeUnit.NANOSECONDS.toMillis(lostSeen.get() - killed);
        System.out.printf("shared: MCU killed -> LOST seen on /#runtime/devices after %d ms (the bus's detection);"
                + " stale event at all %d subscribers: median %d ms, max %d ms after the kill (%d ms after LOST)%n",
                lostMs, delays.size(), delays.get(delays.size() / 2), delays.get(delays.size() - 1),
                delays.get(delays.size() - 1) - lostMs);
        devices.close();
        assertTrue(clients.closed.isEmpty(), "nobody was disconnected: " + clients.closed);
        HttpResponse<String> refused = clients.get(TEMP);
        assertEquals(503, refused.statusCode());
        HttpResponse<String> stale = clients.get(TEMP, "Cache-Control", "max-stale");
        assertEquals(200, stale.statusCode(), stale.body());
        assertEquals("true", stale.headers().firstValue("X-Ferry-Stale").orElse(""));
        assertEquals("cache", stale.headers().firstValue("X-Ferry-Source").orElse(""));
        assertTrue(stale.headers().firstValue("Age").isPresent());

        int[] before = names.stream().mapToInt(n -> clients.seen(n).size()).toArray();
        mcu.restart();
        ObservingClients.eventually(() -> {
            for (int i = 0; i < names.size(); i++) {
                List<Seen> s = clients.seen(names.get(i));
                if (s.stream().skip(before[i]).noneMatch(x -> !x.stale() && !x.cached() && x.n() >= 1)) {
                    return false;
                }
            }
            return true;
        }, 60, "every subscriber gets live readings again, without doing anything");
        assertEquals(1, mcuStreamsAfterLoss().size(), "the replugged MCU has one stream for all of them");
    }

    @Test
    void aGetWithMaxAgeIsAnsweredFromTheCacheWithoutCrossingTheLine() throws Exception {
        start(2000);
        clients.sse(TEMP, null, 1, List.of());                 // the firmware's default period, 1 s
        ObservingClients.eventually(() -> clients.liveNs("sse-0").size() >= 1, 30, "a reading");
        List<Long> ns = clients.liveNs("sse-0");
        long last = ns.get(ns.size() - 1);
        long out = deviceMessagesOut();
        long frames = mcu.sim().counters().bytesDelivered.get();
        HttpResponse<String> cached = clients.get(TEMP, "Cache-Control", "max-age=60");
        assertEquals(200, cached.statusCode());
        assertEquals("cache", cached.headers().firstValue("X-Ferry-Source").orElse(""));
        assertTrue(cached.headers().firstValue("Age").isPresent(), cached.headers().map().toString());
        long n = ObservingClients.n(cached.body());
        assertTrue(n >= last, cached.body());
        assertEquals(out, deviceMessagesOut(), "no request went to the MCU");
        ObservingClients.eventually(() -> clients.liveNs("sse-0").size() > ns.size() + 1, 30, "two more readings");
        clients.assertNoSilentGap("sse-0");                      // no reading went to the GET
        HttpResponse<String> live = clients.get(TEMP);
        assertEquals("mcu", live.headers().firstValue("X-Ferry-Source").orElse(""));
        assertEquals("0", live.headers().firstValue("Age").orElse(""));
        assertTrue(deviceMessagesOut() > out, "a GET without max-age asks the MCU");
        System.out.println("shared: line bytes during the cached GET's test: "
                + (mcu.sim().counters().bytesDelivered.get() - frames) + " (polls and readings only)");
    }
}

package dev.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.bench.SseSwarm;
import dev.ferry.edge.app.FerryRuntime;
import dev.ferry.edge.config.ConfigLoader;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sharing across gateways: gateway A owns the host-sim MCU (its own process on a pty), gateway B
 * reaches it over a RESI link (TCP on loopback) at {@code /a}. B's many observers are one
 * subscriber at A, and share again at B: one stream over RESI, one on the MCU.
 */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedObservationsPeerTest {
    private FerryRuntime a;
    private FerryRuntime b;
    private ObservingClients atA;
    private ObservingClients atB;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {atB, atA, b, a}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void fiftyObserversOnBAreOneStreamOverResiAndOneOnTheMcu() throws Exception {
        System.setProperty("ferry.boards", Repo.root().resolve("boards").toString());
        int resi = freePort();
        a = FerryRuntime.start(ConfigLoader.parse(String.join("\n",
                "[node]", "id = \"gw-a\"", "[http]", "listen = \"127.0.0.1:0\"",
                "[[lines]]", "name = \"sim0\"", "simulate = true", "down_after = 20",
                "[[devices]]", "name = \"dev0\"", "line = \"sim0\"", "address = 1", "mount = \"/dev0\"",
                "[[peers]]", "id = \"gw-b\"", "offers = [\"/dev0\"]",   // a peer reaches only what is offered
                "[[peers.transports]]", "kind = \"tcp\"", "listen = \"127.0.0.1:" + resi + "\"", ""), "a.toml"));
        b = FerryRuntime.start(ConfigLoader.parse(String.join("\n",
                "[node]", "id = \"gw-b\"", "[http]", "listen = \"127.0.0.1:0\"",
                "max_connections_per_source = 256",   // 50 observers from this one address
                "[[peers]]", "id = \"gw-a\"",
                "[[peers.transports]]", "kind = \"tcp\"", "connect = \"127.0.0.1:" + resi + "\"",
                "[[routes]]", "prefix = \"/a\"", "to = \"peer:gw-a\"", ""), "b.toml"));
        atA = new ObservingClients(a.httpPort());
        atB = new ObservingClients(b.httpPort());
        Repo.awaitAttached(atA.http, atA.base, "dev0");
        Repo.awaitEvent(atB.http, atB.base + "/%23runtime/peers/gw-a", "\"live\":true");

        SseSwarm swarm = atB.sse("/a/dev0/sensors/temp", "100", 50, List.of());
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            names.add("sse-" + i);
        }
        ObservingClients.eventually(() -> swarm.streaming() == 50
                && names.stream().allMatch(n -> !atB.liveNs(n).isEmpty()), 30, "50 observers at B have readings");
        long target = names.stream().mapToLong(n -> atB.liveNs(n).get(0)).max().orElseThrow() + 10;
        ObservingClients.eventually(() -> names.stream().allMatch(n -> {
            List<Long> ns = atB.liveNs(n);
            return ns.get(ns.size() - 1) >= target;
        }), 60, "every observer at B reached reading " + target);
        for (String n : names) {
            atB.assertNoSilentGap(n);
        }
        String viewB = atB.get("/%23runtime/observations").body();
        String viewA = atA.get("/%23runtime/observations").body();
        assertTrue(viewB.contains("\"resource\":\"/a/dev0/sensors/temp\"") && viewB.contains("\"subscribers\":{\"lan\":50}"),
                viewB);
        assertEquals(1, count(viewB, "\"resource\""), "one shared observation at B: " + viewB);
        assertTrue(viewB.contains("\"upstream\":\"/a/dev0/sensors/temp#obs/"), "B's upstream is A's shared stream: "
                + viewB);
        assertTrue(viewA.contains("\"subscribers\":{\"peer:gw-b\":1}"), "B is one subscriber at A: " + viewA);
        assertEquals(1, count(viewA, "\"resource\""), viewA);
        HttpResponse<String> streams = atA.get("/dev0/sensors/temp%23streams");
        assertEquals(1, count(streams.body(), "#streams/"), "one stream on the MCU: " + streams.body());

        // a cached value at A answers B's GET with its age, across the link
        HttpResponse<String> cached = atB.get("/a/dev0/sensors/temp", "Cache-Control", "max-age=60");
        assertEquals(200, cached.statusCode());
        assertEquals("cache", cached.headers().firstValue("X-Ferry-Source").orElse(""));
        assertTrue(cached.headers().firstValue("X-Ferry-Age-Ms").isPresent());
        System.out.println("shared over RESI: B " + viewB + "\nA " + viewA);
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}

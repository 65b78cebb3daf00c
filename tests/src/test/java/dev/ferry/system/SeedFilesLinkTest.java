package dev.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 15: two processes whose files are written as the RESI seed writes them ({@code [Tcp]
 * Address/Listen} and {@code [Resi] Mode}, nothing about ids) link as they are. Each one's peer
 * {@code resi} is the other; a request from A's LAN side crosses to B and B's answer comes back
 * (B offers its seed peer nothing, so the answer is B's ERROR 403).
 */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SeedFilesLinkTest {

    @Test
    void seedStyleFilesLinkAndAMessageCrosses() throws Exception {
        int listenA = Repo.freeTcpPort();
        int listenB = Repo.freeTcpPort();
        int httpA = Repo.freeTcpPort();
        int httpB = Repo.freeTcpPort();
        Path dir = Files.createTempDirectory("ferry-seed");
        Path a = dir.resolve("a.toml");
        Path b = dir.resolve("b.toml");
        Files.writeString(a, seedStyle(listenB, listenA, httpA));
        Files.writeString(b, seedStyle(listenA, listenB, httpB));
        List<Process> ps = new ArrayList<>();
        try {
            ps.add(Repo.gateway(a, dir.resolve("a.log")));
            ps.add(Repo.gateway(b, dir.resolve("b.log")));
            Repo.awaitPort(httpA, ps.get(0));
            Repo.awaitPort(httpB, ps.get(1));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            Repo.awaitEvent(http, "http://127.0.0.1:" + httpA + "/%23runtime/peers/resi", "\"live\":true");
            Repo.awaitEvent(http, "http://127.0.0.1:" + httpB + "/%23runtime/peers/resi", "\"live\":true");

            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpA
                    + "/%23peers/resi/%23runtime/node")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, r.statusCode(), r.body());
            assertTrue(r.body().contains("not offered to peer resi"), "B's router answered: " + r.body());
            String logB = Files.readString(dir.resolve("b.log"));
            assertTrue(logB.contains("the peer calls itself ferry-"), logB);
            assertTrue(!logB.contains("expected node resi"), logB);
        } finally {
            for (Process p : ps) {
                p.destroy();
            }
            for (Process p : ps) {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    /**
     * The seed's sections as seed 000 writes them (strict, an IPv4 Address and a localhost Listen),
     * and the one addition two gateways on one machine need: their own HTTP ports (the seed has
     * no HTTP side; Ferry's default port would be taken twice).
     */
    private static String seedStyle(int address, int listen, int httpPort) {
        return String.join("\n",
                "[Tcp]",
                "Address = \"127.0.0.1:" + address + "\" # IPv4 or IPv6",
                "Listen = \"localhost:" + listen + "\"",
                "[Resi]",
                "Mode = \"strict\"",
                "",
                "[http]",
                "listen = \"127.0.0.1:" + httpPort + "\"", "");
    }
}

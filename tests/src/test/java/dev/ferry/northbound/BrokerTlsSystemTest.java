package dev.ferry.northbound;

import static dev.ferry.northbound.FerryToml.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.proto.sparkplug.Metric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ferry against a Mosquitto that serves only TLS (a CA and server certificate the test makes)
 * and only users of its password file, as an operator sets a plant broker up: Ferry connects with
 * {@code ca_file}, {@code username} and {@code password_file}; then the two mistakes an operator
 * makes first, a wrong password and a CA that did not sign the broker's certificate. Ferry must
 * say what is wrong ({@code /#runtime/northbound} state and last_error, a log line at most once a
 * second, {@code ferry_northbound_refusals_total}), keep retrying, keep queueing, and deliver
 * everything queued once the file is fixed (it reads it again at each attempt).
 */
@Tag("system")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class BrokerTlsSystemTest {
    private static final String EDGE_PASSWORD = "edge-s3cret";
    private static final String HOST_PASSWORD = "host-s3cret";

    @TempDir
    Path dir;

    private Mosquitto broker(TestPki pki) throws Exception {
        Path passwords = Mosquitto.passwordFile(dir, "edge1", EDGE_PASSWORD, "scada", HOST_PASSWORD);
        List<String> conf = new ArrayList<>(List.of(pki.mosquittoLines()));
        conf.add("password_file " + passwords);
        return Mosquitto.create(dir, conf.toArray(new String[0])).start();
    }

    private static HostApp host(Mosquitto broker, TestPki pki) throws Exception {
        return new HostApp(new HostApp.Access("ssl://127.0.0.1:" + broker.port(), TestPki.trusting(pki.caPem()),
                "scada", HOST_PASSWORD), "scada", true);
    }

    private FerryToml ferry(Mosquitto broker, int http, Path ca, Path password) {
        return FerryToml.simulated("edge1", http, broker.port(), dir.resolve("queue"))
                .nb("tls", "true").nb("ca_file", q(ca.toString()))
                .nb("username", q("edge1")).nb("password_file", q(password.toString()));
    }

    private static long n(HostApp.Received r) {
        Metric m = r.type().equals("DDATA") ? r.metric("sensors/temp/n") : null;
        return m == null ? -1 : m.getLongValue();
    }

    @Test
    void sparkplugOverTlsWithAPassword() throws Exception {
        TestPki pki = TestPki.create(dir);
        Path password = Files.writeString(dir.resolve("ferry-password"), EDGE_PASSWORD + "\n");
        int http = Mosquitto.freePort();
        try (Mosquitto broker = broker(pki); HostApp host = host(broker, pki);
             FerryProcess ferry = FerryProcess.start(dir, ferry(broker, http, pki.caPem(), password).toString())) {
            host.await(r -> r.topic().equals("spBv1.0/plant/NBIRTH/edge1"), 60, "NBIRTH over TLS");
            host.await(r -> r.topic().equals("spBv1.0/plant/DBIRTH/edge1/dev0"), 30, "DBIRTH");
            host.await(r -> n(r) >= 0, 30, "DDATA");
            String status = NorthboundStatus.get(http);
            assertEquals("born", NorthboundStatus.string(status, "state"), status);
            assertTrue(status.contains("\"tls\":true"), status);
            assertTrue(broker.log().contains("as ferry-edge1 (p5, c1, k30, u'edge1')"),
                    "the broker saw user edge1 connect: " + broker.log());
            assertEquals(List.of(), host.violations());
        }
    }

    @Test
    void aWrongPasswordIsReportedRetriedAndNothingQueuedIsLost() throws Exception {
        TestPki pki = TestPki.create(dir);
        Path password = Files.writeString(dir.resolve("ferry-password"), "not-the-password\n");
        refusedThenFixed(pki, pki.caPem(), password, "not_authorized", "password_file",
                () -> Files.writeString(password, EDGE_PASSWORD + "\n"));
    }

    @Test
    void aCaThatDidNotSignTheBrokerIsRefusedUntilTheCaFileIsFixed() throws Exception {
        TestPki pki = TestPki.create(dir);
        Path password = Files.writeString(dir.resolve("ferry-password"), EDGE_PASSWORD + "\n");
        Path ca = Files.copy(pki.otherCa(), dir.resolve("ferry-ca.pem"));
        refusedThenFixed(pki, ca, password, "tls", "ca_file",
                () -> Files.copy(pki.caPem(), ca, StandardCopyOption.REPLACE_EXISTING));
    }

    private interface Fix {
        void apply() throws Exception;
    }

    private void refusedThenFixed(TestPki pki, Path ca, Path password, String reason, String hint, Fix fix)
            throws Exception {
        int http = Mosquitto.freePort();
        String refusals = "ferry_northbound_refusals_total{reason=\"" + reason + "\"}";
        try (Mosquitto broker = broker(pki); HostApp host = host(broker, pki);
             FerryProcess ferry = FerryProcess.start(dir, ferry(broker, http, ca, password)
                     .nb("reconnect_min_ms", "10").nb("reconnect_max_ms", "50").toString())) {
            FerryProcess.await(() -> NorthboundStatus.number(NorthboundStatus.get(http), "failures") >= 5, 90,
                    "five refused attempts", () -> NorthboundStatus.get(http) + ferry.log());
            FerryProcess.await(() -> NorthboundStatus.number(NorthboundStatus.get(http), "messages") >= 3, 60,
                    "readings queued while refused", () -> NorthboundStatus.get(http));
            String status = NorthboundStatus.get(http);
            assertTrue(List.of("disconnected", "connecting").contains(NorthboundStatus.string(status, "state")), status);
            String error = NorthboundStatus.string(status, "last_error");
            assertTrue(error.contains(hint), "last_error says what to check: " + error);
            assertTrue(NorthboundStatus.metric(http, refusals) >= 5, "refusals counted by reason");
            assertFalse(broker.log().contains("as ferry-edge1"), "never connected: " + broker.log());
            assertLoggedAtMostOncePerSecond(ferry.log(), "northbound: cannot connect");

            fix.apply();     // read again at the next attempt, no restart

            host.await(r -> r.topic().equals("spBv1.0/plant/NBIRTH/edge1"), 60, "NBIRTH once fixed");
            HostApp.Received firstLive = host.await(r -> n(r) >= 0 && !r.metric("sensors/temp/n").getIsHistorical(),
                    60, "live DDATA after the replay");
            List<Long> hist = new ArrayList<>();
            for (HostApp.Received r : host.received()) {
                if (n(r) >= 0 && r.metric("sensors/temp/n").getIsHistorical()) {
                    hist.add(n(r));
                }
            }
            assertTrue(hist.size() >= 3, "what was queued while refused arrived: " + hist);
            for (int i = 1; i < hist.size(); i++) {
                assertEquals(hist.get(i - 1) + 1, hist.get(i), "once and in order: " + hist);
            }
            assertEquals(hist.get(hist.size() - 1) + 1, n(firstLive), "no gap between replay and live data");
            assertEquals(List.of(), host.violations());
        }
    }

    /**
     * Lines containing {@code text} are at least (about) a second apart: the log is rate-limited
     * (lines start "yyyy-MM-dd HH:mm:ss.SSS", {@code [logging] format = "plain"}).
     */
    private static void assertLoggedAtMostOncePerSecond(String log, String text) {
        java.time.LocalDateTime last = null;
        int n = 0;
        for (String line : log.split("\n")) {
            if (line.contains(text)) {
                java.time.LocalDateTime t = java.time.LocalDateTime.parse(line.substring(0, 23).replace(' ', 'T'));
                if (last != null) {
                    long ms = java.time.Duration.between(last, t).toMillis();
                    assertTrue(ms >= 900, "two '" + text + "' lines " + ms + " ms apart:\n" + log);
                }
                last = t;
                n++;
            }
        }
        assertTrue(n >= 1, "the refusal is logged:\n" + log);
    }
}

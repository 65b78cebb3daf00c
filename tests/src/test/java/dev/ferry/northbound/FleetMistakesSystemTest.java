package dev.ferry.northbound;

import static dev.ferry.northbound.FerryToml.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mistakes an operator of a Sparkplug fleet makes first, against a real Mosquitto: a second
 * gateway set up from a copy of the first's config (the same client id: the broker hands the
 * session to whichever connected last, and the two would take it from each other in a loop), a
 * broker that accepts only some client ids, and a topic ACL that forgot DDATA. Ferry must say what
 * is wrong, not flap at full speed, and lose nothing without counting it.
 */
@Tag("system")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class FleetMistakesSystemTest {
    @TempDir
    Path dir;

    @Test
    void twoNodesWithTheSameClientIdAreToldSoAndBackOff() throws Exception {
        int httpA = Mosquitto.freePort();
        int httpB = Mosquitto.freePort();
        // Mosquitto 2.0 closes a taken-over connection without a DISCONNECT saying why (brokers that
        // send reason 0x8E are counted as session_taken_over): Ferry sees connections closed soon
        // after they were accepted, three in a row, and counts closed_after_connect
        String taken = "ferry_northbound_refusals_total{reason=\"closed_after_connect\"}";
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        try (Mosquitto broker = Mosquitto.create(dir).start();
             FerryProcess a = FerryProcess.start(dir.resolve("a"), FerryToml.simulated("edge1", httpA, broker.port(),
                     dir.resolve("a/queue")).nb("reconnect_max_ms", "2000").toString())) {
            FerryProcess.await(() -> "born".equals(NorthboundStatus.string(NorthboundStatus.get(httpA), "state")), 60,
                    "the first node's session", () -> NorthboundStatus.get(httpA));
            try (FerryProcess b = FerryProcess.start(dir.resolve("b"), FerryToml.simulated("edge1", httpB,
                    broker.port(), dir.resolve("b/queue")).nb("reconnect_max_ms", "2000").toString())) {
                FerryProcess.await(() -> NorthboundStatus.metric(httpA, taken) >= 1, 60,
                        "the first node told its session was taken over", () -> NorthboundStatus.get(httpA) + a.log()
                                + "\n---- second node:\n" + b.log());
                FerryProcess.await(() -> NorthboundStatus.metric(httpB, taken) >= 1, 60,
                        "the second node told in turn", () -> NorthboundStatus.get(httpB) + b.log());
                assertTrue(a.log().contains("is another node using client id 'ferry-edge1' (two nodes with the same"
                        + " client_id?)"), a.log());
                FerryProcess.await(() -> a.log().contains("retrying in 2000 ms") && b.log().contains("retrying in 2000 ms"),
                        60, "both backing off to reconnect_max_ms, not flapping at reconnect_min_ms",
                        () -> a.log() + "\n---- second node:\n" + b.log());
            }
        }
    }

    @Test
    void aBrokerThatRefusesTheClientIdIsReportedAndRetriedWhileReadingsQueue() throws Exception {
        int http = Mosquitto.freePort();
        try (Mosquitto broker = Mosquitto.create(dir, "clientid_prefixes plant-").start();
             FerryProcess ferry = FerryProcess.start(dir, FerryToml.simulated("edge1", http, broker.port(),
                     dir.resolve("queue")).nb("reconnect_min_ms", "10").nb("reconnect_max_ms", "50").toString())) {
            FerryProcess.await(() -> NorthboundStatus.number(NorthboundStatus.get(http), "failures") >= 3, 60,
                    "three refused attempts", () -> NorthboundStatus.get(http));
            FerryProcess.await(() -> NorthboundStatus.number(NorthboundStatus.get(http), "messages") >= 2, 60,
                    "readings queued meanwhile", () -> NorthboundStatus.get(http));
            String status = NorthboundStatus.get(http);
            assertTrue(List.of("disconnected", "connecting").contains(NorthboundStatus.string(status, "state")), status);
            assertTrue(NorthboundStatus.string(status, "last_error").contains("client id 'ferry-edge1'"), status);
            assertTrue(NorthboundStatus.metric(http, "ferry_northbound_refusals_total{reason=\"not_authorized\"}") >= 3);
            assertFalse(status.contains("queue_full"), "nothing dropped: " + status);
        }
    }

    @Test
    void anAclWithoutDdataIsCountedAndDoesNotWedgeTheQueue() throws Exception {
        int http = Mosquitto.freePort();
        Path passwords = Mosquitto.passwordFile(dir, "edge1", "edge-pw", "scada", "host-pw");
        Path acl = Files.writeString(dir.resolve("acl"), String.join("\n",
                "user edge1",
                "topic write spBv1.0/plant/NBIRTH/edge1",
                "topic write spBv1.0/plant/NDEATH/edge1",
                "topic write spBv1.0/plant/DBIRTH/edge1/#",
                "topic write spBv1.0/plant/DDEATH/edge1/#",
                "topic read spBv1.0/plant/NCMD/edge1",
                "topic read spBv1.0/plant/DCMD/edge1/#",
                "user scada",
                "topic readwrite #", ""));
        Path password = Files.writeString(dir.resolve("ferry-password"), "edge-pw\n");
        try (Mosquitto broker = Mosquitto.create(dir, "password_file " + passwords, "acl_file " + acl).start();
             HostApp host = new HostApp(new HostApp.Access("tcp://127.0.0.1:" + broker.port(), null, "scada",
                     "host-pw"), "scada", true);
             FerryProcess ferry = FerryProcess.start(dir, FerryToml.simulated("edge1", http, broker.port(),
                     dir.resolve("queue")).nb("username", q("edge1")).nb("password_file", q(password.toString()))
                     .toString())) {
            host.await(r -> r.topic().equals("spBv1.0/plant/DBIRTH/edge1/dev0"), 60, "DBIRTH (allowed)");
            String refused = "ferry_northbound_dropped_total{reason=\"broker_refused\"}";
            FerryProcess.await(() -> NorthboundStatus.metric(http, refused) >= 3, 60,
                    "three DDATA refused by the broker's ACL", () -> NorthboundStatus.get(http) + ferry.log());
            String status = NorthboundStatus.get(http);
            assertEquals("born", NorthboundStatus.string(status, "state"), "the session stays up: " + status);
            assertTrue(NorthboundStatus.number(status, "messages") <= 2, "the queue is not wedged: " + status);
            assertTrue(ferry.log().contains("check the broker's ACL for this node"), ferry.log());
            assertTrue(host.received().stream().noneMatch(r -> r.type().equals("DDATA")), "the ACL held");
            assertEquals(List.of(), host.violations());
        }
    }
}

package dev.ferry.northbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.proto.sparkplug.Metric;
import dev.ferry.edge.proto.sparkplug.Payload;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ferry as a Sparkplug B edge node against a real Mosquitto, checked by a Sparkplug host
 * application: births, data, a DCMD that changes the MCU's LED, Rebirth, the firmware killed
 * (DDEATH), and Ferry killed with SIGKILL (NDEATH through the Will, with the birth's bdSeq).
 * The steps share one broker and one Ferry and run in order.
 */
@Tag("system")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkplugEdgeNodeSystemTest {
    @TempDir
    static Path dir;
    private static Mosquitto broker;
    private static HostApp host;
    private static FerryProcess ferry;
    private static int httpPort;
    private static long bdSeq = -1;

    @BeforeAll
    static void start() throws Exception {
        broker = Mosquitto.create(dir).start();
        host = new HostApp(broker.port(), "scada");
        httpPort = Mosquitto.freePort();
        ferry = FerryProcess.start(dir, config(broker.port(), httpPort, dir.resolve("queue"), "scada"));
    }

    static String config(int mqtt, int http, Path queue, String primary) {
        return String.join("\n",
                "[node]", "id = \"edge1\"",
                "[http]", "listen = \"127.0.0.1:" + http + "\"",
                "[[lines]]", "name = \"sim0\"", "simulate = true",
                "[[devices]]", "name = \"dev0\"", "line = \"sim0\"", "address = 1", "mount = \"/dev0\"",
                "[northbound]", "enabled = true", "broker = \"127.0.0.1:" + mqtt + "\"",
                "group_id = \"plant\"", "primary_host = \"" + primary + "\"",
                "publish = [\"/dev0/sensors/temp\", \"/dev0/leds/0\"]", "commands = [\"/dev0/leds\"]",
                "queue_dir = \"" + queue + "\"", "reconnect_min_ms = 100", "reconnect_max_ms = 1000", "");
    }

    @AfterAll
    static void stop() throws Exception {
        if (ferry != null) {
            ferry.close();
        }
        if (host != null) {
            host.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void nbirthThenDbirthThenData() throws Exception {
        HostApp.Received nbirth = host.await(r -> r.topic().equals("spBv1.0/plant/NBIRTH/edge1"), 60, "NBIRTH");
        assertEquals(0, nbirth.payload().getSeq());
        Metric bd = nbirth.metric("bdSeq");
        assertNotNull(bd, "NBIRTH carries bdSeq");
        assertEquals(4, bd.getDatatype(), "bdSeq is Int64");
        bdSeq = bd.getLongValue();
        Metric rebirth = nbirth.metric("Node Control/Rebirth");
        assertEquals(11, rebirth.getDatatype());
        assertFalse(rebirth.getBooleanValue());
        HostApp.Received dbirth = host.await(r -> r.topic().equals("spBv1.0/plant/DBIRTH/edge1/dev0"), 30, "DBIRTH");
        assertEquals(10, dbirth.metric("sensors/temp/c").getDatatype(), "a temperature is a Double");
        assertEquals(4, dbirth.metric("sensors/temp/n").getDatatype());
        assertEquals(11, dbirth.metric("leds/0").getDatatype(), "the LED is a Boolean");
        assertNotNull(dbirth.metric("Command/Status"));
        long dbirthSeq = dbirth.payload().getSeq();
        HostApp.Received ddata = host.await(r -> r.topic().equals("spBv1.0/plant/DDATA/edge1/dev0")
                && r.metric("sensors/temp/n") != null, 30, "DDATA with a reading");
        assertEquals((dbirthSeq + 1) & 0xFF, ddata.payload().getSeq(), "seq goes on from the DBIRTH");
        assertFalse(ddata.metric("sensors/temp/n").getIsHistorical());
    }

    @Test
    @Order(2)
    void dcmdReachesTheMcuAndItsResultIsReported() throws Exception {
        Payload cmd = Payload.newBuilder().setTimestamp(System.currentTimeMillis())
                .addMetrics(Metric.newBuilder().setName("leds/0").setDatatype(11).setBooleanValue(true)).build();
        host.publish("spBv1.0/plant/DCMD/edge1/dev0", cmd.toByteArray(), 0, false);
        HostApp.Received result = host.await(r -> r.type().equals("DDATA") && r.metric("Command/Status") != null,
                30, "DDATA with Command/Status");
        assertEquals(200, result.metric("Command/Status").getIntValue(), result.metric("Command/Last").getStringValue());
        HostApp.Received led = host.await(r -> r.type().equals("DDATA") && r.metric("leds/0") != null, 30,
                "DDATA with the LED's new value");
        assertTrue(led.metric("leds/0").getBooleanValue());
        HttpResponse<String> http = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/dev0/leds/0")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("true", http.body().trim(), "the MCU's LED is on");
        // a write outside the configured commands is refused by the router's NORTHBOUND rule, and said so
        Payload bad = Payload.newBuilder().setTimestamp(System.currentTimeMillis())
                .addMetrics(Metric.newBuilder().setName("echo").setDatatype(12).setStringValue("x")).build();
        host.publish("spBv1.0/plant/DCMD/edge1/dev0", bad.toByteArray(), 0, false);
        HostApp.Received refused = host.await(r -> r.type().equals("DDATA") && r.metric("Command/Status") != null,
                30, "DDATA with the refusal");
        assertEquals(403, refused.metric("Command/Status").getIntValue());
    }

    /** A DCMD as a careless or hostile host writes it: each gets a Command/Status saying why. */
    @Test
    @Order(3)
    void dcmdsThatCannotBeCarriedOutSayWhy() throws Exception {
        assertEquals(404, commandStatus(Metric.newBuilder().setName("leds/9").setDatatype(11).setBooleanValue(true)),
                "a metric under the allowed prefix that the MCU does not have");
        assertEquals(400, commandStatus(Metric.newBuilder().setName("leds/../echo").setDatatype(12)
                .setStringValue("x")), "a metric name that is no RP path");
        assertEquals(400, commandStatus(Metric.newBuilder().setName("leds/0").setDatatype(11)),
                "a metric with no value");
        assertEquals(List.of(), host.violations());
    }

    private static int commandStatus(Metric.Builder m) throws Exception {
        Payload cmd = Payload.newBuilder().setTimestamp(System.currentTimeMillis()).addMetrics(m).build();
        host.publish("spBv1.0/plant/DCMD/edge1/dev0", cmd.toByteArray(), 0, false);
        HostApp.Received result = host.await(r -> r.type().equals("DDATA") && r.metric("Command/Status") != null,
                30, "DDATA with Command/Status for " + m.getName());
        return result.metric("Command/Status").getIntValue();
    }

    @Test
    @Order(4)
    void rebirthSendsTheBirthsAgainWithTheSameBdSeq() throws Exception {
        Payload cmd = Payload.newBuilder().setTimestamp(System.currentTimeMillis())
                .addMetrics(Metric.newBuilder().setName("Node Control/Rebirth").setDatatype(11).setBooleanValue(true))
                .build();
        host.publish("spBv1.0/plant/NCMD/edge1", cmd.toByteArray(), 0, false);
        HostApp.Received nbirth = host.await(r -> r.topic().equals("spBv1.0/plant/NBIRTH/edge1"), 30, "NBIRTH");
        assertEquals(0, nbirth.payload().getSeq());
        assertEquals(bdSeq, nbirth.metric("bdSeq").getLongValue(), "no new MQTT session, so the same bdSeq");
        HostApp.Received dbirth = host.await(r -> r.topic().equals("spBv1.0/plant/DBIRTH/edge1/dev0"), 30, "DBIRTH");
        assertEquals(1, dbirth.payload().getSeq());
        assertTrue(dbirth.metric("leds/0").getBooleanValue(), "the birth carries the current LED value");
        assertEquals(List.of(), host.violations());
    }

    /**
     * An MCU whose link drops and comes back without a reset (frozen with SIGSTOP until Ferry
     * gives it up, then SIGCONT) still runs the observation Ferry had open; Ferry cancels it when
     * the MCU is back. The MCU has four stream slots: without the cancel it would refuse a new
     * observation by the fifth time. Each time: DDEATH, then DBIRTH and data again.
     */
    @Test
    @Order(5)
    void anMcuWhoseLinkFlapsFiveTimesKeepsPublishing() throws Exception {
        long pid = ferry.firmware().get(0).pid();
        for (int i = 0; i < 5; i++) {
            signal("STOP", pid);
            host.await(r -> r.topic().equals("spBv1.0/plant/DDEATH/edge1/dev0"), 60, "DDEATH " + i);
            signal("CONT", pid);
            host.await(r -> r.topic().equals("spBv1.0/plant/DBIRTH/edge1/dev0"), 60, "DBIRTH " + i);
            try {
                host.await(r -> r.type().equals("DDATA") && r.metric("sensors/temp/n") != null, 30, "DDATA " + i);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + ferry.log(), e);
            }
        }
        assertEquals(List.of(), host.violations());
    }

    static void signal(String sig, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
        assertEquals(0, p.waitFor(), "kill -" + sig + " " + pid);
    }

    /** Killed firmware: DDEATH; Ferry restarts a simulated MCU, which is then born again. */
    @Test
    @Order(6)
    void firmwareKilledGivesDdeathThenItsRestartADbirth() throws Exception {
        assertFalse(ferry.firmware().isEmpty(), "host-sim runs under ferry");
        ferry.firmware().forEach(ProcessHandle::destroyForcibly);
        host.await(r -> r.topic().equals("spBv1.0/plant/DDEATH/edge1/dev0"), 60, "DDEATH");
        host.await(r -> r.topic().equals("spBv1.0/plant/DBIRTH/edge1/dev0"), 60, "DBIRTH of the restarted MCU");
        assertEquals(List.of(), host.violations());
    }

    /** A host that missed the DDEATH commands the dead device: not sent, counted, nothing published for it. */
    @Test
    @Order(7)
    void aDcmdForADeadDeviceIsCountedAndNotAnswered() throws Exception {
        long pid = ferry.firmware().get(0).pid();
        signal("STOP", pid);            // frozen: it stays down (a killed one is restarted)
        host.await(r -> r.topic().equals("spBv1.0/plant/DDEATH/edge1/dev0"), 60, "DDEATH");
        String offline = "ferry_northbound_commands_total{result=\"device_offline\"}";
        Payload cmd = Payload.newBuilder().setTimestamp(System.currentTimeMillis())
                .addMetrics(Metric.newBuilder().setName("leds/0").setDatatype(11).setBooleanValue(true)).build();
        host.publish("spBv1.0/plant/DCMD/edge1/dev0", cmd.toByteArray(), 1, false);
        FerryProcess.await(() -> NorthboundStatus.metric(httpPort, offline) == 1, 30, "the DCMD counted as device_offline",
                () -> FerryProcess.get(httpPort, "/metrics"));
        signal("CONT", pid);
        HostApp.Received dbirth = host.await(r -> r.topic().equals("spBv1.0/plant/DBIRTH/edge1/dev0"), 60,
                "DBIRTH once it answers again");
        assertFalse(dbirth.metric("leds/0").getBooleanValue(), "the command never reached the MCU (its LED is off"
                + " since its restart)");
        assertEquals(List.of(), host.violations(), "no DDATA after the DDEATH");
    }

    @Test
    @Order(8)
    void kill9OfFerryGivesNdeathThroughTheWill() throws Exception {
        ferry.kill9();
        HostApp.Received ndeath = host.await(r -> r.topic().equals("spBv1.0/plant/NDEATH/edge1"), 60, "NDEATH");
        assertEquals(bdSeq, ndeath.metric("bdSeq").getLongValue(), "the Will matches the NBIRTH");
        assertFalse(ndeath.payload().hasSeq(), "NDEATH has no seq");
        assertEquals(List.of(), host.violations());
    }
}

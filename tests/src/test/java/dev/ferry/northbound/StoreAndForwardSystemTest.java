package dev.ferry.northbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.proto.sparkplug.Metric;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Store-and-forward as a flaky network and a power-cycled gateway would test it: the broker is
 * killed (SIGKILL) mid-stream and comes back after an outage; every DDATA produced meanwhile must
 * arrive once, in order, flagged {@code is_historical}, at QoS 1; then the same with Ferry itself
 * killed and restarted during the outage (its queue on disk carries the readings over); then the
 * MCU lost during the outage, whose replayed data must come under a DBIRTH of the new session and
 * be closed by a DDEATH. Every host application here also checks what a strict Sparkplug host
 * checks ({@link SparkplugCheck}): no DDATA outside a DBIRTH of its session, seq in order.
 *
 * <p>The outage lasts {@code -Dferry.test.outage.seconds} (default 6 s, the scenario
 * uses 30 s: the behaviour is the same, only the suite would be slower). The host application is
 * the configured primary host, so Ferry births and replays only once it is back.
 */
@Tag("system")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class StoreAndForwardSystemTest {
    private static final int OUTAGE_S = Integer.getInteger("ferry.test.outage.seconds", 6);

    @TempDir
    Path dir;

    /** The reading number n of a DDATA, or -1. */
    private static long n(HostApp.Received r) {
        Metric m = r.type().equals("DDATA") ? r.metric("sensors/temp/n") : null;
        return m == null ? -1 : m.getLongValue();
    }

    private static boolean historical(HostApp.Received r) {
        return r.metric("sensors/temp/n").getIsHistorical();
    }

    @Test
    void brokerOutageLosesNothingAndReplaysInOrderAsHistorical() throws Exception {
        try (Mosquitto broker = Mosquitto.create(dir).start();
             FerryProcess ferry = FerryProcess.start(dir, SparkplugEdgeNodeSystemTest.config(broker.port(),
                     Mosquitto.freePort(), dir.resolve("queue"), "scada"))) {
            HostApp before = new HostApp(broker.port(), "scada");
            before.await(r -> r.type().equals("DBIRTH"), 60, "DBIRTH");
            before.await(r -> n(r) >= 0, 30, "a first DDATA");
            before.await(r -> n(r) >= 0, 30, "a second DDATA");
            broker.kill();
            List<Long> live = readings(before.all, false);
            before.close();
            Thread.sleep(TimeUnit.SECONDS.toMillis(OUTAGE_S));     // the outage itself
            broker.start();
            try (HostApp after = new HostApp(broker.port(), "scada")) {
                after.await(r -> r.type().equals("NBIRTH"), 60, "NBIRTH after the outage");
                HostApp.Received firstLive = after.await(r -> n(r) >= 0 && !historical(r), 60,
                        "live DDATA after the replay");
                List<Long> hist = readings(after.all, true);
                assertTrue(hist.size() >= OUTAGE_S - 2, "readings of the outage were replayed: " + hist);
                assertContiguous(hist, "historical readings");
                long lastLive = live.get(live.size() - 1);
                assertTrue(hist.get(0) <= lastLive + 1, "no gap between " + live + " and " + hist);
                assertEquals(hist.get(hist.size() - 1) + 1, n(firstLive), "no gap after the replay");
                for (long x : hist) {   // a reading the broker took before it died may come again; nothing later
                    assertTrue(x > lastLive - 3, "only readings in flight at the kill repeat: " + x);
                }
                assertEquals(List.of(), after.violations(), "a strict host accepts every message");
            }
        }
    }

    @Test
    void ferryRestartedDuringTheOutageKeepsItsQueue() throws Exception {
        Path queue = dir.resolve("queue");
        try (Mosquitto broker = Mosquitto.create(dir).start()) {
            FerryProcess ferry = FerryProcess.start(dir, SparkplugEdgeNodeSystemTest.config(broker.port(),
                    Mosquitto.freePort(), queue, "scada"));
            FerryProcess second = null;
            try {
                HostApp before = new HostApp(broker.port(), "scada");
                before.await(r -> n(r) >= 0, 60, "a first DDATA");
                before.await(r -> n(r) >= 0, 30, "a second DDATA");
                broker.kill();
                List<Long> live = readings(before.all, false);
                before.close();
                Thread.sleep(TimeUnit.SECONDS.toMillis(OUTAGE_S / 2));   // readings queue up on disk
                ferry.kill9();                                            // and the gateway dies too
                second = FerryProcess.start(dir, SparkplugEdgeNodeSystemTest.config(broker.port(),
                        Mosquitto.freePort(), queue, "scada"));
                Thread.sleep(TimeUnit.SECONDS.toMillis(OUTAGE_S / 2 + 3)); // its new MCU run queues too
                broker.start();
                try (HostApp after = new HostApp(broker.port(), "scada")) {
                    after.await(r -> n(r) >= 0 && !historical(r), 90, "live DDATA after the replay");
                    after.await(r -> n(r) >= 0 && !historical(r), 30, "a second live DDATA");
                    List<HostApp.Received> data = new ArrayList<>();
                    synchronized (after.all) {
                        after.all.stream().filter(r -> n(r) >= 0).forEach(data::add);
                    }
                    int cut = 1;
                    while (cut < data.size() && n(data.get(cut)) > n(data.get(cut - 1))) {
                        cut++;
                    }
                    List<Long> oldRun = data.subList(0, cut).stream().map(StoreAndForwardSystemTest::n).toList();
                    List<HostApp.Received> newRun = data.subList(cut, data.size());
                    assertTrue(data.subList(0, cut).stream().allMatch(StoreAndForwardSystemTest::historical),
                            "what the first process queued is historical: " + oldRun);
                    assertContiguous(oldRun, "readings of the first process");
                    assertTrue(oldRun.get(0) <= live.get(live.size() - 1) + 1, "no gap: " + live + " then " + oldRun);
                    assertFalse(newRun.isEmpty(), "the restarted process published: " + oldRun + "\n" + second.log());
                    assertContiguous(newRun.stream().map(StoreAndForwardSystemTest::n).toList(),
                            "readings of the restarted process");
                    boolean seenLive = false;
                    for (HostApp.Received r : newRun) {
                        assertFalse(seenLive && historical(r), "historical readings come before live ones");
                        seenLive |= !historical(r);
                    }
                    assertEquals(List.of(), after.violations(), "a strict host accepts every message");
                }
            } finally {
                ferry.close();
                if (second != null) {
                    second.close();
                }
            }
        }
    }

    @Test
    void anMcuLostDuringTheOutageIsBornForItsReplayAndThenDies() throws Exception {
        int http = Mosquitto.freePort();
        try (Mosquitto broker = Mosquitto.create(dir).start();
             FerryProcess ferry = FerryProcess.start(dir, SparkplugEdgeNodeSystemTest.config(broker.port(), http,
                     dir.resolve("queue"), "scada"))) {
            HostApp before = new HostApp(broker.port(), "scada");
            before.await(r -> n(r) >= 0, 60, "a first DDATA");
            broker.kill();
            before.close();
            FerryProcess.await(() -> NorthboundStatus.number(NorthboundStatus.get(http), "messages") >= 3, 60,
                    "three readings queued during the outage", () -> NorthboundStatus.get(http));
            long mcu = ferry.firmware().get(0).pid();
            SparkplugEdgeNodeSystemTest.signal("STOP", mcu);   // the MCU stops answering, broker still down
            // (frozen rather than killed: Ferry restarts a simulated MCU that dies)
            // the status must say so: an unreadable status (empty) is not "lost"
            String[] status = new String[1];
            FerryProcess.await(() -> NorthboundStatus.detached(status[0] = NorthboundStatus.get(http), "dev0"), 60,
                    "dev0 lost", () -> NorthboundStatus.get(http));
            long queued = NorthboundStatus.number(status[0], "messages");
            assertTrue(queued >= 3, "readings queued while the broker was down: " + status[0]);
            broker.start();
            try (HostApp after = new HostApp(broker.port(), "scada")) {
                HostApp.Received nbirth = after.await(r -> r.type().equals("NBIRTH"), 60, "NBIRTH after the outage");
                HostApp.Received dbirth = after.await(r -> r.type().equals("DBIRTH"), 30, "a DBIRTH for the replay");
                assertEquals("dev0", dbirth.device());
                assertEquals(1, dbirth.payload().getSeq(), "the replay's DBIRTH follows the NBIRTH");
                assertTrue(dbirth.metric("sensors/temp/n") != null && dbirth.metric("Command/Status") != null,
                        "the DBIRTH defines the device's metrics: " + after.summary());
                HostApp.Received ddeath = after.await(r -> r.type().equals("DDEATH"), 60, "the DDEATH after the replay");
                assertEquals("dev0", ddeath.device());
                List<HostApp.Received> session = after.received();
                session = session.subList(session.indexOf(nbirth), session.indexOf(ddeath) + 1);
                List<Long> hist = new ArrayList<>();
                for (HostApp.Received r : session) {
                    if (n(r) >= 0) {
                        assertTrue(historical(r), "every replayed reading is historical");
                        hist.add(n(r));
                    }
                }
                assertEquals(queued, hist.size(), "every queued reading was replayed: " + hist);
                assertContiguous(hist, "replayed readings of the lost MCU");
                assertEquals(List.of(), after.violations(), "a strict host accepts every message");
                FerryProcess.await(() -> NorthboundStatus.number(NorthboundStatus.get(http), "messages") == 0, 30,
                        "the queue drained (every replayed message acknowledged)", () -> NorthboundStatus.get(http));
                SparkplugEdgeNodeSystemTest.signal("CONT", mcu);
                after.await(r -> r.type().equals("DBIRTH"), 60, "the MCU born again once it answers");
            }
        }
    }

    private static List<Long> readings(List<HostApp.Received> all, boolean historical) {
        List<Long> out = new ArrayList<>();
        synchronized (all) {
            for (HostApp.Received r : all) {
                if (n(r) >= 0 && historical(r) == historical) {
                    out.add(n(r));
                }
            }
        }
        return out;
    }

    private static void assertContiguous(List<Long> xs, String what) {
        for (int i = 1; i < xs.size(); i++) {
            assertEquals(xs.get(i - 1) + 1, xs.get(i), what + " arrive once and in order: " + xs);
        }
    }
}

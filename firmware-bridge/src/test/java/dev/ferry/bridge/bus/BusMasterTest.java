package dev.ferry.bridge.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.serial.link.LinkParams;
import dev.ferry.serial.link.PrimaryConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The bus thread over a fake line and a fake clock. */
@Tag("small")
class BusMasterTest {
    static final LinkParams HOST = LinkParams.of(64, 2);
    final FakeClock clock = new FakeClock();
    final FakeBusPort port = new FakeBusPort(clock);
    BusMaster bus;

    @AfterEach
    void tearDown() {
        if (bus != null) {
            bus.stop();
        }
    }

    private static void await(BooleanSupplier c) throws InterruptedException {
        CountDownLatch never = new CountDownLatch(1);
        for (int i = 0; i < 1000 && !c.getAsBoolean(); i++) {
            never.await(10, TimeUnit.MILLISECONDS);       // bounded wait on a condition of another thread
        }
        assertTrue(c.getAsBoolean(), "condition not reached in 10 s");
    }

    @Test
    void opensWithCappedExponentialBackoffAndStopsCleanly() throws Exception {
        List<Long> attempts = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch opened = new CountDownLatch(1);
        port.addStation(1, 64, 2);
        bus = new BusMaster("fake", () -> {
            attempts.add(clock.nanoTime());
            if (attempts.size() <= 7) {
                throw new IOException("MISSING fake");
            }
            opened.countDown();
            return port;
        }, BusConfig.of(HOST, 115200), clock);
        RecordingClient c = new RecordingClient();
        bus.addStation(PrimaryConfig.of(1, HOST), c);
        assertEquals(LineState.CLOSED, bus.lineState());
        bus.start();
        assertTrue(opened.await(10, TimeUnit.SECONDS));
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < 8; i++) {
            gaps.add((attempts.get(i) - attempts.get(i - 1)) / 1_000_000L);
        }
        assertEquals(List.of(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L), gaps);
        await(() -> c.up != null);
        assertEquals(LineState.OPEN, bus.lineState());

        bus.stop();
        assertEquals(LineState.CLOSED, bus.lineState());
        assertEquals(1, port.closes(), "port closed once at stop");
        int written = port.written().size();
        clock.advance(1_000_000_000L);
        assertEquals(written, port.written().size(), "nothing sent after stop");
    }

    @Test
    void lineFailureTakesEveryLinkDownAndReopens() throws Exception {
        port.addStation(1, 64, 2);
        port.addStation(2, 64, 2);
        bus = new BusMaster("fake", () -> port, BusConfig.of(HOST, 115200), clock);
        RecordingClient c1 = new RecordingClient();
        RecordingClient c2 = new RecordingClient();
        bus.addStation(PrimaryConfig.of(1, HOST), c1);
        bus.addStation(PrimaryConfig.of(2, HOST), c2);
        bus.start();
        await(() -> c1.up != null && c2.up != null);
        port.fail(true);
        await(() -> !c1.downs.isEmpty() && !c2.downs.isEmpty());
        assertEquals("line failed", c1.downs.get(0));
        port.fail(false);
        port.stationAt(1).reset();
        await(() -> c1.up != null && c2.up != null);
        LineSnapshot s = bus.snapshot();
        assertTrue(s.failures() >= 1);
        assertTrue(s.opens() >= 2);
        assertNotNull(bus.stationStats(1).orElseThrow());
        assertTrue(bus.stationStats(1).orElseThrow().setups() >= 2, "set up again after the failure");
    }
}

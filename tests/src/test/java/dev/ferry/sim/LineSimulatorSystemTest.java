package dev.ferry.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.bridge.line.SerialLine;
import dev.ferry.bridge.line.SerialLineException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("system")
class LineSimulatorSystemTest {

    @TempDir
    Path dir;

    private LineSimulator.Config config(int devices, int baud, double ber, double drop, boolean bus) {
        List<Path> devs = new java.util.ArrayList<>();
        for (int i = 0; i < devices; i++) {
            devs.add(dir.resolve("dev" + i));
        }
        return new LineSimulator.Config(dir.resolve("host"), devs, dir, baud, ber, drop, 42, bus);
    }

    @Test
    void pacesBytesAtTheBaudRateInBothDirections() throws Exception {
        int baud = 38400;
        int n = 3840; // one second of characters at 10 bits each
        try (LineSimulator sim = new LineSimulator(config(1, baud, 0, 0, false)).start();
             SerialLine host = SerialLine.open(sim.hostPath().toString(), baud);
             SerialLine dev = SerialLine.open(sim.devicePaths().get(0).toString(), baud)) {
            byte[] down = Endpoints.pattern(n, 1);
            byte[] up = Endpoints.pattern(n, 2);
            CompletableFuture<Long[]> downTiming = CompletableFuture.supplyAsync(() -> timedRead(dev, down));
            CompletableFuture<Long[]> upTiming = CompletableFuture.supplyAsync(() -> timedRead(host, up));
            host.write(down);
            dev.write(up);
            for (Long[] t : List.of(downTiming.get(30, TimeUnit.SECONDS), upTiming.get(30, TimeUnit.SECONDS))) {
                double seconds = (t[1] - t[0]) / 1e9;
                double rate = (n - 1) / seconds; // bytes after the first, over the time they took
                double expected = baud / 10.0;
                System.out.printf("pacing: %d bytes at %d baud: %.1f bytes/s achieved, %.1f configured%n",
                        n, baud, rate, expected);
                assertTrue(Math.abs(rate - expected) <= 0.15 * expected,
                        "achieved " + rate + " bytes/s, configured " + expected);
            }
            assertEquals(2L * n, sim.counters().bytesDelivered.get());
            assertEquals(0, sim.counters().collisions.get());
        }
    }

    /** Reads {@code expected.length} bytes, checks them, returns {first byte time, last byte time}. */
    private static Long[] timedRead(SerialLine line, byte[] expected) {
        try {
            byte[] got = new byte[expected.length];
            int have = 0;
            long first = 0;
            long last = 0;
            while (have < expected.length) {
                int n = line.read(got, have, expected.length - have, 2000);
                if (n == 0) {
                    break;
                }
                last = System.nanoTime();
                if (have == 0) {
                    first = last;
                }
                have += n;
            }
            assertArrayEquals(expected, got);
            return new Long[] {first, last};
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void bitErrorsAreInjectedAtTheConfiguredRateAndCounted() throws Exception {
        int n = 20_000;
        double ber = 1e-3;
        try (LineSimulator sim = new LineSimulator(config(1, 460800, ber, 0, false)).start();
             SerialLine host = SerialLine.open(sim.hostPath().toString(), 460800);
             SerialLine dev = SerialLine.open(sim.devicePaths().get(0).toString(), 460800)) {
            byte[] sent = Endpoints.pattern(n, 3);
            CompletableFuture<byte[]> got = CompletableFuture.supplyAsync(() -> read(dev, n));
            host.write(sent);
            byte[] received = got.get(30, TimeUnit.SECONDS);
            assertEquals(n, received.length);
            long differing = 0;
            for (int i = 0; i < n; i++) {
                differing += Integer.bitCount((sent[i] ^ received[i]) & 0xFF);
            }
            long flipped = sim.counters().flippedBits.get();
            assertEquals(differing, flipped, "every counted flip shows in the data and vice versa");
            double expected = n * 8 * ber; // 160; binomial sd ~12.6
            System.out.printf("BER: %d bits flipped over %d bits, expected %.0f%n", flipped, n * 8L, expected);
            assertTrue(Math.abs(flipped - expected) <= 5 * Math.sqrt(expected), "flipped " + flipped);
        }
    }

    @Test
    void dropsBytesWithTheConfiguredProbability() throws Exception {
        int n = 10_000;
        try (LineSimulator sim = new LineSimulator(config(1, 460800, 0, 0.01, false)).start();
             SerialLine host = SerialLine.open(sim.hostPath().toString(), 460800);
             SerialLine dev = SerialLine.open(sim.devicePaths().get(0).toString(), 460800)) {
            CompletableFuture<byte[]> got = CompletableFuture.supplyAsync(() -> read(dev, n));
            host.write(Endpoints.pattern(n, 4));
            byte[] received = got.get(30, TimeUnit.SECONDS);
            long dropped = sim.counters().droppedBytes.get();
            assertEquals(n - dropped, received.length);
            assertTrue(dropped >= 100 - 50 && dropped <= 100 + 50, "dropped " + dropped);
        }
    }

    private static byte[] read(SerialLine line, int n) {
        try {
            return Endpoints.readUpTo(line, n, 1000);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void busBroadcastsAndOverlappingTransmissionsCollide() throws Exception {
        int baud = 9600;
        try (LineSimulator sim = new LineSimulator(config(2, baud, 0, 0, true)).start();
             SerialLine host = SerialLine.open(sim.hostPath().toString(), baud);
             SerialLine dev0 = SerialLine.open(sim.devicePaths().get(0).toString(), baud);
             SerialLine dev1 = SerialLine.open(sim.devicePaths().get(1).toString(), baud)) {
            // One sender at a time: everybody else hears it intact.
            byte[] poll = "poll-1".getBytes();
            host.write(poll);
            assertArrayEquals(poll, Endpoints.readUpTo(dev0, poll.length, 2000));
            assertArrayEquals(poll, Endpoints.readUpTo(dev1, poll.length, 2000));
            byte[] reply = "reply-from-0".getBytes();
            dev0.write(reply);
            assertArrayEquals(reply, Endpoints.readUpTo(host, reply.length, 2000));
            assertArrayEquals(reply, Endpoints.readUpTo(dev1, reply.length, 2000));
            assertEquals(0, sim.counters().collisions.get());

            // Both devices answer at once: the overlap is garbled for the host.
            byte[] a = Endpoints.pattern(64, 5);
            byte[] b = Endpoints.pattern(64, 6);
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<Void> wa = CompletableFuture.runAsync(() -> writeAfter(go, dev0, a));
            CompletableFuture<Void> wb = CompletableFuture.runAsync(() -> writeAfter(go, dev1, b));
            go.countDown();
            wa.get(10, TimeUnit.SECONDS);
            wb.get(10, TimeUnit.SECONDS);
            byte[] heard = Endpoints.readUpTo(host, 256, 500);
            long collisions = sim.counters().collisions.get();
            assertTrue(collisions >= 32, "collisions " + collisions);
            assertTrue(heard.length >= 64, "host heard " + heard.length);
            assertFalse(Arrays.equals(a, Arrays.copyOf(heard, 64)));
            assertFalse(Arrays.equals(b, Arrays.copyOf(heard, 64)));
        }
    }

    @Test
    void accountsTheTurnaroundGapsBetweenHostAndStationTransmissions() throws Exception {
        int baud = 9600;
        try (LineSimulator sim = new LineSimulator(config(2, baud, 0, 0, true)).start();
             SerialLine host = SerialLine.open(sim.hostPath().toString(), baud);
             SerialLine dev0 = SerialLine.open(sim.devicePaths().get(0).toString(), baud);
             SerialLine dev1 = SerialLine.open(sim.devicePaths().get(1).toString(), baud)) {
            host.write("warm-up".getBytes());
            Endpoints.readUpTo(dev0, 7, 2000);
            Endpoints.readUpTo(dev1, 7, 2000);
            sim.resetGaps();
            SimGaps none = sim.gaps();
            assertEquals(0, none.busyMicros());
            assertEquals(0, none.host().count() + none.station().count() + none.same().count() + none.other().count());

            // host -> station 0 -> host -> station 1: two station turnarounds and one host turnaround
            host.write("poll".getBytes());
            assertArrayEquals("poll".getBytes(), Endpoints.readUpTo(dev0, 4, 2000));
            Endpoints.readUpTo(dev1, 4, 2000);
            dev0.write("answer".getBytes());
            assertArrayEquals("answer".getBytes(), Endpoints.readUpTo(host, 6, 2000));
            Endpoints.readUpTo(dev1, 6, 2000);
            host.write("next".getBytes());
            Endpoints.readUpTo(dev0, 4, 2000);
            assertArrayEquals("next".getBytes(), Endpoints.readUpTo(dev1, 4, 2000));
            dev1.write("ok".getBytes());
            assertArrayEquals("ok".getBytes(), Endpoints.readUpTo(host, 2, 2000));

            SimGaps g = sim.gaps();
            assertEquals(2, g.station().count());
            assertEquals(1, g.host().count());
            assertEquals(0, g.same().count() + g.other().count() + g.overlaps());
            long wire = 16L * 10 * 1_000_000 / baud; // 16 bytes of 10 bits
            assertTrue(Math.abs(g.busyMicros() - wire) <= 2, "busy " + g.busyMicros() + " us, wire " + wire + " us");
            assertTrue(g.host().p50Micros() <= g.host().maxMicros() && g.station().p99Micros() <= g.station().maxMicros());
        }
    }

    private static void writeAfter(CountDownLatch go, SerialLine line, byte[] data) {
        try {
            go.await();
            line.write(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void unplugMakesTheHostPathVanishAndReplugBringsItBack() throws Exception {
        try (LineSimulator sim = new LineSimulator(config(1, 115200, 0, 0, false)).start();
             SerialLine dev = SerialLine.open(sim.devicePaths().get(0).toString(), 115200)) {
            SerialLine host = SerialLine.open(sim.hostPath().toString(), 115200);
            dev.write("before".getBytes());
            assertArrayEquals("before".getBytes(), Endpoints.readUpTo(host, 6, 2000));

            sim.unplugHost();
            assertFalse(Files.exists(sim.hostPath()));
            assertFalse(sim.isHostPlugged());
            SerialLineException e = assertThrows(SerialLineException.class, () -> host.read(new byte[8], 100));
            assertEquals(SerialLineException.Reason.UNPLUGGED, e.reason());
            host.close();
            SerialLineException missing = assertThrows(SerialLineException.class,
                    () -> SerialLine.open(sim.hostPath().toString(), 115200));
            assertEquals(SerialLineException.Reason.MISSING, missing.reason());

            sim.replugHost();
            assertTrue(Files.exists(sim.hostPath()));
            try (SerialLine again = SerialLine.open(sim.hostPath().toString(), 115200)) {
                dev.write("after".getBytes());
                assertArrayEquals("after".getBytes(), Endpoints.readUpTo(again, 5, 2000));
                again.write("ack".getBytes());
                assertArrayEquals("ack".getBytes(), Endpoints.readUpTo(dev, 3, 2000));
            }
            assertNotEquals(0, sim.counters().bytesDelivered.get());
        }
    }

    @Test
    void aDevicePtyMayBeClosedAndOpenedAgainWhileTheLineRuns() throws Exception {
        try (LineSimulator sim = new LineSimulator(config(1, 115200, 0, 0, false)).start();
             SerialLine host = SerialLine.open(sim.hostPath().toString(), 115200)) {
            SerialLine first = SerialLine.open(sim.devicePaths().get(0).toString(), 115200);
            host.write("one".getBytes());
            assertArrayEquals("one".getBytes(), Endpoints.readUpTo(first, 3, 2000));
            first.close(); // a firmware process exits; the simulator keeps the slave open
            try (SerialLine second = SerialLine.open(sim.devicePaths().get(0).toString(), 115200)) {
                host.write("two".getBytes());
                assertArrayEquals("two".getBytes(), Endpoints.readUpTo(second, 3, 2000));
                second.write("back".getBytes());
                assertArrayEquals("back".getBytes(), Endpoints.readUpTo(host, 4, 2000));
            }
            SimCounters c = sim.counters();
            assertEquals(10, c.bytesDelivered.get());
            assertEquals(0, c.overruns.get());
        }
    }
}

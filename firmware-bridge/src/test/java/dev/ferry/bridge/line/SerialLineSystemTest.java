package dev.ferry.bridge.line;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.bridge.line.SerialLineException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("system")
class SerialLineSystemTest {

    @TempDir
    Path dir;

    /** Read exactly n bytes or fail after a bounded number of timeouts. */
    static byte[] readExactly(SerialLine line, int n) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[256];
        int idle = 0;
        while (out.size() < n && idle < 20) {
            int got = line.read(buf, 0, Math.min(buf.length, n - out.size()), 500);
            if (got == 0) {
                idle++;
            }
            out.write(buf, 0, got);
        }
        return out.toByteArray();
    }

    @Test
    void writesAndReadsBothWays() throws Exception {
        try (SocatPair pair = new SocatPair(dir, "rw");
             SerialLine a = SerialLine.open(pair.a.toString(), 115200);
             SerialLine b = SerialLine.open(pair.b.toString(), 115200)) {
            assertTrue(a.isOpen());
            assertTrue(a.devicePath().startsWith("/dev/pts/"), a.devicePath());
            byte[] hello = "hello\0world".getBytes(StandardCharsets.US_ASCII);
            a.write(hello);
            assertArrayEquals(hello, readExactly(b, hello.length));
            byte[] big = new byte[20_000];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) (i * 31 + 7);
            }
            Thread writer = new Thread(() -> {
                try {
                    b.write(big);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            assertArrayEquals(big, readExactly(a, big.length));
            writer.join(10_000);
        }
    }

    @Test
    void readTimesOutWithZeroNoEarlierThanTheDeadline() throws Exception {
        try (SocatPair pair = new SocatPair(dir, "to");
             SerialLine a = SerialLine.open(pair.a.toString(), 9600)) {
            byte[] buf = new byte[16];
            for (int timeout : new int[] {0, 20, 150}) {
                long t0 = System.nanoTime();
                assertEquals(0, a.read(buf, timeout));
                long elapsed = System.nanoTime() - t0;
                assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(timeout), "returned early for " + timeout);
                assertTrue(elapsed < TimeUnit.SECONDS.toNanos(5), "hung for " + timeout);
            }
            assertThrows(IllegalArgumentException.class, () -> a.read(buf, SerialLine.MAX_READ_TIMEOUT_MS + 1));
        }
    }

    @Test
    void shortTimeoutStillDeliversDataThatArrives() throws Exception {
        try (SocatPair pair = new SocatPair(dir, "st");
             SerialLine a = SerialLine.open(pair.a.toString(), 115200);
             SerialLine b = SerialLine.open(pair.b.toString(), 115200)) {
            b.write(new byte[] {42});
            byte[] buf = new byte[4];
            int n = 0;
            for (int i = 0; i < 200 && n == 0; i++) {
                n = a.read(buf, 10);
            }
            assertEquals(1, n);
            assertEquals(42, buf[0]);
        }
    }

    @Test
    void missingPortIsDiagnosed() {
        SerialLineException e = assertThrows(SerialLineException.class,
                () -> SerialLine.open(dir.resolve("no-such-tty").toString(), 115200));
        assertEquals(Reason.MISSING, e.reason());
        assertTrue(e.getMessage().contains("no-such-tty"), e.getMessage());
        assertTrue(e.getMessage().contains("no such port"), e.getMessage());
    }

    @Test
    void notATtyIsDiagnosed() throws Exception {
        SerialLineException e = assertThrows(SerialLineException.class,
                () -> SerialLine.open("/dev/null", 115200));
        assertEquals(Reason.MISSING, e.reason());
        assertEquals(PortDiagnosis.ENOTTY, e.errorCode());
        assertTrue(e.errorLocation() > 0);
    }

    @Test
    void secondOpenInThisProcessIsBusy() throws Exception {
        try (SocatPair pair = new SocatPair(dir, "busy");
             SerialLine a = SerialLine.open(pair.a.toString(), 115200)) {
            SerialLineException e = assertThrows(SerialLineException.class,
                    () -> SerialLine.open(pair.a.toString(), 115200));
            assertEquals(Reason.BUSY, e.reason());
            assertTrue(a.isOpen());
        }
    }

    @Test
    void portLockedByAnotherProcessIsBusy() throws Exception {
        try (SocatPair pair = new SocatPair(dir, "lock")) {
            // flock(1) takes the same exclusive lock jSerialComm takes, then waits on stdin.
            Process holder = new ProcessBuilder("flock", "--exclusive", pair.a.toString(), "cat").start();
            try {
                // "flock" prints nothing; wait until it holds the lock by watching our own attempt fail.
                SerialLineException e = null;
                for (int i = 0; i < 100 && e == null; i++) {
                    try (SerialLine unexpected = SerialLine.open(pair.a.toString(), 115200)) {
                        holder.waitFor(20, TimeUnit.MILLISECONDS); // bounded wait for flock to start
                    } catch (SerialLineException x) {
                        e = x;
                    }
                }
                assertTrue(e != null, "port never became busy");
                assertEquals(Reason.BUSY, e.reason());
                assertEquals(PortDiagnosis.EAGAIN, e.errorCode());
            } finally {
                holder.destroy();
                holder.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void closeIsIdempotentAndReopenWorks() throws Exception {
        try (SocatPair pair = new SocatPair(dir, "close")) {
            SerialLine a = SerialLine.open(pair.a.toString(), 115200);
            a.close();
            a.close();
            assertFalse(a.isOpen());
            SerialLineException e = assertThrows(SerialLineException.class, () -> a.read(new byte[1], 0));
            assertEquals(Reason.IO, e.reason());
            try (SerialLine again = SerialLine.open(pair.a.toString(), 115200)) {
                assertTrue(again.isOpen());
            }
        }
    }

    @Test
    void closeFromAnotherThreadEndsABlockedRead() throws Exception {
        try (SocatPair pair = new SocatPair(dir, "unblock")) {
            SerialLine a = SerialLine.open(pair.a.toString(), 115200);
            java.util.concurrent.CompletableFuture<Object> reading = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return a.read(new byte[8], SerialLine.MAX_READ_TIMEOUT_MS);
                } catch (IOException e) {
                    return e;
                }
            });
            a.close();
            Object outcome = reading.get(5, TimeUnit.SECONDS); // well before the 25 s read timeout
            assertTrue(outcome instanceof SerialLineException || Integer.valueOf(0).equals(outcome), String.valueOf(outcome));
            assertFalse(a.isOpen());
        }
    }

    @Test
    void killedPtyIsReportedAsUnplugged() throws Exception {
        SocatPair pair = new SocatPair(dir, "unplug");
        try (SerialLine a = SerialLine.open(pair.a.toString(), 115200)) {
            pair.kill();
            byte[] buf = new byte[8];
            SerialLineException e = assertThrows(SerialLineException.class, () -> {
                for (int i = 0; i < 100; i++) {
                    a.read(buf, 50);
                }
            });
            assertEquals(Reason.UNPLUGGED, e.reason());
            assertFalse(a.isOpen());
            SerialLineException w = assertThrows(SerialLineException.class, () -> a.write(new byte[] {1}));
            assertEquals(Reason.UNPLUGGED, w.reason());
        } finally {
            pair.close();
        }
    }

    @Test
    void writeToKilledPtyIsReportedAsUnplugged() throws Exception {
        SocatPair pair = new SocatPair(dir, "unplugw");
        try (SerialLine a = SerialLine.open(pair.a.toString(), 115200)) {
            pair.kill();
            byte[] data = new byte[64];
            Arrays.fill(data, (byte) 0x55);
            SerialLineException e = assertThrows(SerialLineException.class, () -> {
                for (int i = 0; i < 100; i++) {
                    a.write(data);
                }
            });
            assertEquals(Reason.UNPLUGGED, e.reason());
        } finally {
            pair.close();
        }
    }
}

package dev.ferry.bridge.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.serial.link.LinkParams;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class AnswerWaitTest {
    private final FakeClock clock = new FakeClock();
    private final BusConfig config = BusConfig.of(LinkParams.of(256, 4), 115200);

    /** A port whose bytes become readable at a given fake time; it records when it was read. */
    private final class TimedPort implements LinePort {
        final long readyAt;
        final List<Long> readsAt = new ArrayList<>();

        TimedPort(long readyAt) {
            this.readyAt = readyAt;
        }

        @Override
        public int read(byte[] buf, int off, int len, int timeoutMs) {
            readsAt.add(clock.nanoTime());
            if (clock.nanoTime() - readyAt >= 0) {
                buf[off] = 0x11;
                return 1;
            }
            return 0;
        }

        @Override
        public void write(byte[] data, int off, int len) {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void theEarliestAnswerIsOurBytesPlusTheSmallestFrameOnTheWire() {
        assertEquals(6, AnswerWait.SMALLEST_ANSWER_BYTES);
        assertEquals(1_000L + (12L * 10 * 1_000_000_000L + 115199) / 115200, AnswerWait.earliestNanos(config, 1_000L, 6)); // rounded up
    }

    @Test
    void doesNotLookBeforeShortlyBeforeTheEarliestAnswerAndFindsItPromptlyAfter() throws Exception {
        long t0 = clock.nanoTime();
        long earliest = AnswerWait.earliestNanos(config, t0, 6);
        TimedPort port = new TimedPort(earliest + 50_000);
        byte[] buf = new byte[16];
        assertEquals(1, AnswerWait.firstBytes(port, clock, buf, earliest, t0 + 20_000_000));
        assertTrue(port.readsAt.get(0) >= earliest - AnswerWait.GUARD_MICROS * 1_000, "read too early");
        long late = clock.nanoTime() - port.readyAt;
        assertTrue(late >= 0 && late <= AnswerWait.FINE_POLL_MICROS * 1_000, "noticed " + late + " ns late");
    }

    @Test
    void neverWaitsPastTheDeadlineNorPastTheFineWindow() throws Exception {
        long t0 = clock.nanoTime();
        long earliest = AnswerWait.earliestNanos(config, t0, 6);
        byte[] buf = new byte[16];
        assertEquals(0, AnswerWait.firstBytes(new TimedPort(Long.MAX_VALUE), clock, buf, earliest, t0 + 300_000));
        assertEquals(t0 + 300_000, clock.nanoTime());
        long t1 = clock.nanoTime();
        long earliest1 = AnswerWait.earliestNanos(config, t1, 6);
        assertEquals(0, AnswerWait.firstBytes(new TimedPort(Long.MAX_VALUE), clock, buf, earliest1, t1 + 50_000_000));
        assertEquals(earliest1 + AnswerWait.FINE_WINDOW_MICROS * 1_000, clock.nanoTime());
    }
}

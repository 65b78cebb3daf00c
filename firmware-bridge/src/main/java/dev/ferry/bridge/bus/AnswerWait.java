package dev.ferry.bridge.bus;

import dev.ferry.bridge.line.LineTiming;
import dev.ferry.serial.frame.Frame;
import dev.ferry.serial.frame.FrameEncoder;
import dev.ferry.serial.link.Control;
import java.io.IOException;

/**
 * How the bus master waits for the first bytes of a station's answer. No answer can be complete
 * before our own transmission and the smallest frame have crossed the wire, so there is no point
 * in looking earlier:
 *
 * <pre>
 *   earliest = (time we started writing) + wire time of (our bytes + the smallest frame)
 *   park until earliest - {@value #GUARD_MICROS} us (one wake-up instead of polling all along)
 *   then poll the driver every {@value #FINE_POLL_MICROS} us until a byte is there, for at most
 *        {@value #FINE_WINDOW_MICROS} us after earliest (where a prompt station answers),
 *   then leave it to the caller's ordinary reads (the line's own, coarser polling)
 * </pre>
 *
 * <p>Callers may rely on: the wait never passes the turn's deadline; bytes that are there are
 * returned by the first read after the park; reads use a zero timeout, so the line's contract
 * (return as soon as any byte is available) is untouched. Stateless.
 */
final class AnswerWait {
    static final long GUARD_MICROS = 100;
    static final long FINE_POLL_MICROS = 15;
    static final long FINE_WINDOW_MICROS = 400;
    /** Line bytes of the smallest frame a station can answer with (RR/RNR/UA/DM: 4 bytes before COBS). */
    static final int SMALLEST_ANSWER_BYTES = FrameEncoder.encodeFrame(
            new Frame(1, Control.s(Control.Supervisory.RR, 0, true).encode(), new byte[0])).length;

    private AnswerWait() {
    }

    /** When the first complete answer frame can be there at the earliest. */
    static long earliestNanos(BusConfig config, long writeStartedAt, int bytesSent) {
        return writeStartedAt + LineTiming.nanosFor(bytesSent + SMALLEST_ANSWER_BYTES, config.baud(),
                config.bitsPerCharacter());
    }

    /**
     * Waits as above for the first bytes of the answer.
     *
     * @return bytes read into {@code buf} (0 if none came in the fine window or before the deadline)
     * @throws IOException from the port
     */
    static int firstBytes(LinePort port, BusClock clock, byte[] buf, long earliest, long deadline) throws IOException {
        long guard = earliest - GUARD_MICROS * 1_000L;
        clock.parkUntil(deadline - guard < 0 ? deadline : guard);
        long until = earliest + FINE_WINDOW_MICROS * 1_000L;
        if (deadline - until < 0) {
            until = deadline;
        }
        while (true) {
            int got = port.read(buf, 0, buf.length, 0);
            if (got > 0) {
                return got;
            }
            long left = until - clock.nanoTime();
            if (left <= 0) {
                return 0;
            }
            clock.park(Math.min(left, FINE_POLL_MICROS * 1_000L));
        }
    }
}

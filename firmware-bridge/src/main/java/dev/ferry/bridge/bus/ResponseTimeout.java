package dev.ferry.bridge.bus;

import dev.ferry.bridge.line.LineTiming;
import dev.ferry.serial.frame.FrameEncoder;

/**
 * The response timeout T1 of one turn (PROTOCOL.md 3.4 step 3): how long the primary waits for
 * the frame with F = 1 before it counts a timeout.
 *
 * <pre>
 *   T1 = turnaround margin                       (the configured one, or the station's measured
 *                                                 turnaround when larger: TurnaroundEstimate)
 *      + wire time of our own transmission        (a plain UART's write returns before it is sent)
 *      + wire time of k response frames of W(N) bytes each
 * </pre>
 *
 * at {@code bitsPerCharacter} bits per byte, or the configured override when it is positive.
 * While response bytes keep arriving the bus extends the wait to the last byte + margin + one
 * frame's wire time, at most to 2 x T1, so that a response that started late (a loaded host, a
 * slow emulator) is not cut off mid-frame. Pure functions.
 */
public final class ResponseTimeout {
    /** Unstuffed size of a UA with link parameters: address, control, 4 bytes, CRC. */
    public static final int UA_FRAME_SIZE = 8;

    private ResponseTimeout() {
    }

    /**
     * T1 in nanoseconds.
     *
     * @param config the bus settings (baud, bits per character, margin, override)
     * @param transmittedBytes line bytes of our transmission in this turn
     * @param responseFrames most frames the station may answer with (its window k, 1 for set-up)
     * @param responseFrameSize the largest unstuffed frame size N of each response frame
     */
    public static long nanos(BusConfig config, int transmittedBytes, int responseFrames, int responseFrameSize) {
        return nanos(config, transmittedBytes, responseFrames, responseFrameSize, config.turnaroundNanos());
    }

    /** T1 with {@code marginNanos} (a station's measured turnaround, {@link TurnaroundEstimate}) as margin. */
    public static long nanos(BusConfig config, int transmittedBytes, int responseFrames, int responseFrameSize,
                             long marginNanos) {
        if (config.t1OverrideNanos() > 0) {
            return config.t1OverrideNanos();
        }
        long responseBytes = (long) responseFrames * FrameEncoder.maxWireLength(responseFrameSize);
        return marginNanos
                + LineTiming.nanosFor(transmittedBytes + responseBytes, config.baud(), config.bitsPerCharacter());
    }
}

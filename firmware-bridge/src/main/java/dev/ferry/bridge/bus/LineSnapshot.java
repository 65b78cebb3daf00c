package dev.ferry.bridge.bus;

import dev.ferry.rp.DecodeError;
import java.util.Map;

/**
 * Figures of one serial line at one moment, for the runtime to render. Immutable.
 *
 * @param port the port path (or a description of the port)
 * @param state the line's state
 * @param bytesIn line bytes read
 * @param bytesOut line bytes written
 * @param framesGood frames that passed COBS and CRC
 * @param frameErrors frames dropped by kind (BAD_CRC, BAD_COBS, RUNT, OVERLONG)
 * @param framesForeign good frames for another station or outside any turn
 * @param turns poll turns taken (a UP that polls n stations counts n)
 * @param unnumberedPolls UP frames sent (PROTOCOL.md 3.8): idle stations polled together
 * @param timeouts T1 expiries, all stations
 * @param retransmissions I-frames resent, all stations
 * @param broadcasts broadcast messages sent
 * @param opens successful opens of the port
 * @param failures times the open port failed (unplugged, I/O error)
 */
public record LineSnapshot(String port, LineState state, long bytesIn, long bytesOut, long framesGood,
                           Map<DecodeError, Long> frameErrors, long framesForeign, long turns, long unnumberedPolls,
                           long timeouts,
                           long retransmissions, long broadcasts, long opens, long failures) {
    public LineSnapshot {
        frameErrors = Map.copyOf(frameErrors);
    }

    /** All dropped frames. */
    public long frameErrorTotal() {
        return frameErrors.values().stream().mapToLong(Long::longValue).sum();
    }
}

package dev.ferry.bridge.line;

import java.util.Objects;

/**
 * Character format and transmit gating of a serial line; the baud rate is given to
 * {@link SerialLine#open} separately.
 *
 * <p>Callers may rely on: the constructor rejects formats jSerialComm cannot set;
 * {@link #bitsPerCharacter()} counts start, data, parity and stop bits (10 for 8N1), which is
 * what a direction pin's hold time is computed from.
 *
 * @param dataBits 5..8
 * @param parity parity mode
 * @param stopBits 1 or 2
 * @param gate how the transmitter is enabled around a send (RS-485 direction)
 */
public record LineOptions(int dataBits, Parity parity, int stopBits, TransmitGate gate) {

    /** Parity modes. */
    public enum Parity { NONE, ODD, EVEN, MARK, SPACE }

    /** 8 data bits, no parity, 1 stop bit, no transmit gate (a plain UART). */
    public static final LineOptions DEFAULT_8N1 = new LineOptions(8, Parity.NONE, 1, TransmitGate.NONE);

    public LineOptions {
        if (dataBits < 5 || dataBits > 8) {
            throw new IllegalArgumentException("dataBits must be 5..8, got " + dataBits);
        }
        if (stopBits != 1 && stopBits != 2) {
            throw new IllegalArgumentException("stopBits must be 1 or 2, got " + stopBits);
        }
        Objects.requireNonNull(parity, "parity");
        Objects.requireNonNull(gate, "gate");
    }

    /** 8N1 with the given gate. */
    public static LineOptions of8N1(TransmitGate gate) {
        return new LineOptions(8, Parity.NONE, 1, gate);
    }

    /** The same format with another gate. */
    public LineOptions withGate(TransmitGate newGate) {
        return new LineOptions(dataBits, parity, stopBits, newGate);
    }

    /** Bits on the wire per character: start + data + parity + stop. */
    public int bitsPerCharacter() {
        return 1 + dataBits + (parity == Parity.NONE ? 0 : 1) + stopBits;
    }
}

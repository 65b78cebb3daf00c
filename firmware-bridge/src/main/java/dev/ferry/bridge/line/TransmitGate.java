package dev.ferry.bridge.line;

import java.io.IOException;

/**
 * Enables the line's transmitter around a send, as an RS-485 half-duplex transceiver needs.
 *
 * <p>{@link SerialLine#write} calls {@link #beforeSend} before the first byte is handed to the
 * driver and {@link #afterSend} after the write returned (also when it failed). Implementations:
 * {@link #NONE} (a plain UART: nothing to do), {@link DirectionPin} (a GPIO driving DE/RE, timed
 * from the baud rate) and {@link KernelRs485} (the kernel toggles RTS; configured at open).
 * A gate is used by one line and one thread at a time.
 */
public interface TransmitGate extends AutoCloseable {

    /** A plain UART: the transmitter is always enabled. */
    TransmitGate NONE = new TransmitGate() {
        @Override
        public void beforeSend(int byteCount) {
        }

        @Override
        public void afterSend(int byteCount) {
        }

        @Override
        public String toString() {
            return "TransmitGate.NONE";
        }
    };

    /**
     * Called by {@link SerialLine#open} once the port is open and configured.
     *
     * @param baud the line's baud rate
     * @param bitsPerCharacter bits per character on the wire (10 for 8N1)
     */
    default void attach(int baud, int bitsPerCharacter) {
    }

    /** Enable the transmitter; {@code byteCount} bytes are about to be written. */
    void beforeSend(int byteCount) throws IOException;

    /** Return once the last of {@code byteCount} bytes has left, then release the transmitter. */
    void afterSend(int byteCount) throws IOException;

    /** Release any resource; the transmitter is left disabled. Idempotent. */
    @Override
    default void close() {
    }
}

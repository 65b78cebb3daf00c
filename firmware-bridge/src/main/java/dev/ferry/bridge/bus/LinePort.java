package dev.ferry.bridge.bus;

import java.io.IOException;

/**
 * What the bus master needs from a serial line: blocking reads with a timeout, writes, close.
 * {@link SerialLinePort} adapts a real {@code SerialLine}; tests use in-memory fakes.
 *
 * <p>Implementations follow {@code SerialLine}: {@link #read} returns as soon as any byte is
 * there and 0 on timeout; any {@link IOException} from {@link #read} or {@link #write} means the
 * line is unusable and the bus will {@link #close()} it and open a new one through its
 * {@link Opener}. Used by one thread; {@link #close()} is idempotent.
 */
public interface LinePort extends AutoCloseable {

    /** Read up to {@code len} bytes, waiting at most {@code timeoutMs} for the first; 0 on timeout. */
    int read(byte[] buf, int off, int len, int timeoutMs) throws IOException;

    /** Write all bytes (returns once they are handed to the driver). */
    void write(byte[] data, int off, int len) throws IOException;

    @Override
    void close();

    /** Opens the line; called by the bus thread at start and again after every failure. */
    @FunctionalInterface
    interface Opener {
        /**
         * @throws IOException when the line cannot be opened now (the bus retries with backoff)
         */
        LinePort open() throws IOException;
    }
}

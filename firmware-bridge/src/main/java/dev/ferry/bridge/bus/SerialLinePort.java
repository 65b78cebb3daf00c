package dev.ferry.bridge.bus;

import dev.ferry.bridge.line.LineOptions;
import dev.ferry.bridge.line.SerialLine;
import java.io.IOException;

/** A {@link LinePort} over a real {@link SerialLine} (jSerialComm). */
public final class SerialLinePort implements LinePort {
    private final SerialLine line;

    public SerialLinePort(SerialLine line) {
        this.line = line;
    }

    /** Opens {@code path} at {@code baud} with {@code options} each time the bus asks. */
    public static Opener opener(String path, int baud, LineOptions options) {
        return () -> new SerialLinePort(SerialLine.open(path, baud, options));
    }

    @Override
    public int read(byte[] buf, int off, int len, int timeoutMs) throws IOException {
        return line.read(buf, off, len, timeoutMs);
    }

    @Override
    public void write(byte[] data, int off, int len) throws IOException {
        line.write(data, off, len);
    }

    @Override
    public void close() {
        line.close();
    }

    @Override
    public String toString() {
        return line.toString();
    }
}

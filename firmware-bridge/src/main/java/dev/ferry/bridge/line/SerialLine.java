package dev.ferry.bridge.line;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import dev.ferry.bridge.line.SerialLineException.Reason;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.tinylog.Logger;

/**
 * One open serial port: the only class in Ferry that talks to jSerialComm.
 *
 * <p>Callers may rely on:
 * <ul>
 *   <li>{@link #open} checks the native library, then the path, permissions and exclusivity, and
 *       fails with a {@link SerialLineException} whose {@link Reason} says which; parameters and
 *       timeouts are set once, before the port opens, so jSerialComm configures the tty once.</li>
 *   <li>{@link #read(byte[], int, int, int)} blocks at most {@code timeoutMs} (0..25 000 ms) and
 *       returns the number of bytes read, 0 on timeout, as soon as any byte is available.
 *       Timeouts under 100 ms (the tty's VTIME granularity) are kept by polling the driver every
 *       {@value #POLL_MICROS} us; longer ones block in the driver.</li>
 *   <li>{@link #write} hands every byte to the driver or throws; it goes through the line's
 *       {@link TransmitGate}, so on RS-485 the transmitter is enabled for exactly the send.</li>
 *   <li>Every failure from jSerialComm ({@code false}, -1, a short write) becomes a
 *       {@link SerialLineException} carrying {@code getLastErrorCode()} and
 *       {@code getLastErrorLocation()}; a tty that vanished (USB unplugged, pty closed) is
 *       reported with {@link Reason#UNPLUGGED}, after which {@link #isOpen()} is false and the
 *       caller should {@link #close()} and open the path again later.</li>
 *   <li>{@link #close()} is idempotent and unblocks a read in progress. The gate is owned by the
 *       caller and is not closed with the line, so it can be reused when the line reopens.</li>
 * </ul>
 * One thread reads and writes; {@link #close()} may come from any thread.
 */
public final class SerialLine implements AutoCloseable {

    /** Longest read timeout: a tty's VTIME holds at most 25.5 s. */
    public static final int MAX_READ_TIMEOUT_MS = 25_000;
    static final int POLL_MICROS = 50;
    private static final int DRIVER_TIMEOUT_MS = 100;
    private static final Set<Path> OPEN_DEVICES = ConcurrentHashMap.newKeySet();

    private final Path path;
    private final Path device;
    private final int baud;
    private final LineOptions options;
    private final SerialPort port;
    private volatile boolean closed;
    private volatile boolean vanished;

    private SerialLine(Path path, Path device, int baud, LineOptions options, SerialPort port) {
        this.path = path;
        this.device = device;
        this.baud = baud;
        this.options = options;
        this.port = port;
    }

    /** Open {@code path} at {@code baud}, 8N1, no transmit gate. */
    public static SerialLine open(String path, int baud) throws SerialLineException {
        return open(path, baud, LineOptions.DEFAULT_8N1);
    }

    /**
     * Open the port at {@code path} (a device node or a symlink to one, e.g. a socat pty link).
     *
     * @throws SerialLineException MISSING, BUSY, PERMISSION, NATIVE_LIBRARY or IO, with a message
     *     saying what to do
     */
    public static SerialLine open(String path, int baud, LineOptions options) throws SerialLineException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        if (baud <= 0) {
            throw new IllegalArgumentException("baud must be > 0, got " + baud);
        }
        NativeLibraryCheck.verify();
        Path configured = Path.of(path);
        if (!Files.exists(configured)) {
            throw openFailure(Reason.MISSING, configured, -1, -1);
        }
        Path device;
        try {
            device = configured.toRealPath();
        } catch (IOException e) {
            throw openFailure(Reason.MISSING, configured, -1, -1);
        }
        if (!Files.isReadable(device) || !Files.isWritable(device)) {
            throw openFailure(Reason.PERMISSION, configured, -1, -1);
        }
        if (!OPEN_DEVICES.add(device)) {
            throw new SerialLineException(Reason.BUSY, path, "already open by this process as " + device, -1, -1, null);
        }
        try {
            SerialPort port = configure(SerialPort.getCommPort(device.toString()), baud, options);
            if (!port.openPort()) {
                int code = port.getLastErrorCode();
                Reason reason = PortDiagnosis.classifyOpen(code, Files.exists(configured),
                        Files.isReadable(device) && Files.isWritable(device));
                throw openFailure(reason, configured, code, port.getLastErrorLocation());
            }
            if (port.getLastErrorCode() == PortDiagnosis.ENOTTY) {
                Logger.debug("{}: ENOTTY during open (a pseudo-terminal has no serial driver); harmless", path);
            }
            options.gate().attach(baud, options.bitsPerCharacter());
            Logger.info("serial line {} ({}) open at {} baud, {} bits/char, gate {}",
                    path, device, baud, options.bitsPerCharacter(), options.gate());
            return new SerialLine(configured, device, baud, options, port);
        } catch (SerialPortInvalidPortException e) {
            OPEN_DEVICES.remove(device);
            throw new SerialLineException(Reason.MISSING, path, "jSerialComm rejected the port name", -1, -1, e);
        } catch (SerialLineException | RuntimeException e) {
            OPEN_DEVICES.remove(device);
            throw e;
        }
    }

    private static SerialPort configure(SerialPort port, int baud, LineOptions o) {
        int stop = o.stopBits() == 2 ? SerialPort.TWO_STOP_BITS : SerialPort.ONE_STOP_BIT;
        int parity = switch (o.parity()) {
            case NONE -> SerialPort.NO_PARITY;
            case ODD -> SerialPort.ODD_PARITY;
            case EVEN -> SerialPort.EVEN_PARITY;
            case MARK -> SerialPort.MARK_PARITY;
            case SPACE -> SerialPort.SPACE_PARITY;
        };
        // Set everything before openPort(): jSerialComm then configures the tty exactly once.
        port.setComPortParameters(baud, o.dataBits(), stop, parity);
        port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, DRIVER_TIMEOUT_MS, 0);
        if (o.gate() instanceof KernelRs485 rs485) {
            port.setRs485ModeParameters(true, rs485.activeHigh(), rs485.delayBeforeSendMicros(),
                    rs485.delayAfterSendMicros());
        }
        return port;
    }

    private static SerialLineException openFailure(Reason reason, Path path, int code, int location) {
        return new SerialLineException(reason, path.toString(), PortDiagnosis.openMessage(reason, path, code),
                code, location, null);
    }

    /** Read into {@code buffer} from its start; see {@link #read(byte[], int, int, int)}. */
    public int read(byte[] buffer, int timeoutMs) throws IOException {
        return read(buffer, 0, buffer.length, timeoutMs);
    }

    /**
     * Read up to {@code length} bytes, waiting at most {@code timeoutMs} for the first.
     *
     * @return bytes read (1..length), or 0 if none arrived in time (or length is 0)
     * @throws SerialLineException UNPLUGGED if the tty vanished, IO on other failures
     * @throws InterruptedIOException if the thread was interrupted while waiting
     */
    public int read(byte[] buffer, int offset, int length, int timeoutMs) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (timeoutMs < 0 || timeoutMs > MAX_READ_TIMEOUT_MS) {
            throw new IllegalArgumentException("timeoutMs must be 0.." + MAX_READ_TIMEOUT_MS + ", got " + timeoutMs);
        }
        checkUsable();
        if (length == 0) {
            return 0;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            int available = port.bytesAvailable();
            if (available < 0) {
                throw transferFailure("read");
            }
            if (available > 0) {
                return readNow(buffer, offset, Math.min(available, length));
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return 0;
            }
            if (left >= TimeUnit.MILLISECONDS.toNanos(DRIVER_TIMEOUT_MS)) {
                int n = readNow(buffer, offset, length); // returns on the first byte or after 100 ms
                if (n > 0) {
                    return n;
                }
            } else {
                LockSupport.parkNanos(Math.min(left, TimeUnit.MICROSECONDS.toNanos(POLL_MICROS)));
            }
            if (Thread.interrupted()) {
                throw new InterruptedIOException("read on " + path + " interrupted");
            }
            checkUsable();
        }
    }

    private int readNow(byte[] buffer, int offset, int length) throws IOException {
        int n = port.readBytes(buffer, length, offset);
        if (n < 0) {
            throw transferFailure("read");
        }
        return n;
    }

    /** Write all of {@code data}; see {@link #write(byte[], int, int)}. */
    public void write(byte[] data) throws IOException {
        write(data, 0, data.length);
    }

    /**
     * Hand {@code length} bytes to the driver through the transmit gate; returns when the gate
     * has released the transmitter (for {@link DirectionPin}: after the last stop bit).
     *
     * @throws SerialLineException UNPLUGGED if the tty vanished, IO on other failures (including
     *     a write that made no progress)
     */
    public void write(byte[] data, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, data.length);
        checkUsable();
        if (length == 0) {
            return;
        }
        TransmitGate gate = options.gate();
        gate.beforeSend(length);
        try {
            int done = 0;
            while (done < length) {
                int n = port.writeBytes(data, length - done, offset + done);
                if (n <= 0) {
                    throw transferFailure("write");
                }
                done += n;
            }
        } finally {
            gate.afterSend(length);
        }
    }

    private void checkUsable() throws SerialLineException {
        if (closed) {
            throw new SerialLineException(Reason.IO, path.toString(), "line is closed", -1, -1, null);
        }
        if (vanished) {
            throw new SerialLineException(Reason.UNPLUGGED, path.toString(),
                    "the tty vanished earlier; close and reopen the line", -1, -1, null);
        }
    }

    private SerialLineException transferFailure(String op) {
        int code = port.getLastErrorCode();
        int location = port.getLastErrorLocation();
        if (closed) {
            return new SerialLineException(Reason.IO, path.toString(), op + " on a closed line", code, location, null);
        }
        boolean there = PortDiagnosis.stillResolvesTo(path, device);
        boolean queryFails = port.bytesAvailable() < 0;
        Reason reason = PortDiagnosis.classifyTransfer(code, there, queryFails);
        if (reason == Reason.UNPLUGGED) {
            vanished = true;
            Logger.warn("serial line {} ({}) vanished during {} (errno {} at {})", path, device, op, code, location);
            return new SerialLineException(reason, path.toString(), op + " failed: the tty has gone"
                    + (there ? "" : " (path no longer names " + device + ")"), code, location, null);
        }
        return new SerialLineException(reason, path.toString(), op + " failed", code, location, null);
    }

    /** True from a successful open until {@link #close()} or until the tty is found vanished. */
    public boolean isOpen() {
        return !closed && !vanished && port.isOpen();
    }

    /** The configured path, as given to {@link #open}. */
    public String path() {
        return path.toString();
    }

    /** The device node the path resolved to when the line opened (e.g. /dev/pts/3). */
    public String devicePath() {
        return device.toString();
    }

    /** The line's baud rate. */
    public int baud() {
        return baud;
    }

    /** The line's character format and gate. */
    public LineOptions options() {
        return options;
    }

    /** Close the port; idempotent; a read in progress returns with an exception. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            if (!port.closePort()) {
                Logger.warn("closing serial line {} reported errno {} at {}", path,
                        port.getLastErrorCode(), port.getLastErrorLocation());
            }
        } finally {
            OPEN_DEVICES.remove(device);
            Logger.info("serial line {} closed", path);
        }
    }

    @Override
    public String toString() {
        return "SerialLine[" + path + " -> " + device + ", " + baud + " baud]";
    }
}

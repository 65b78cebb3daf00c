package dev.ferry.sim;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.tinylog.Logger;

/**
 * One node attached to the simulated line: a {@link PtyPair} whose outer end a program opens
 * (Ferry on the host, a firmware process on a device) and whose inner end the simulator reads
 * (into {@link #transmitQueue()}) and writes (from {@link #receive}). Alternatively
 * ({@link #existing}) the node is a tty that already exists, typically the slave of a pty the
 * firmware opened itself: the simulator uses it directly, which saves the socat process and one
 * pty hop in each direction, but cannot make it vanish.
 *
 * <p>The inner end is used through two plain JDK {@link FileChannel}s, one per direction: a
 * single channel serialises reads and writes on one lock, and a closed channel wakes a reader
 * blocked in the tty, which {@code FileInputStream} does not. Both queues are bounded: the
 * reader blocks when the transmit queue is full (so the program's writes block, as on a real
 * UART); a byte arriving at a full receive buffer is lost and counted.
 */
final class SimPort {

    private static final int QUEUE_BYTES = 8192;

    private final String name;
    private final Path outer;
    private final Path inner;
    private final Runnable onData;
    private final SimCounters counters;
    private final boolean existing;
    private volatile Attachment attachment;

    /** What exists while the port is plugged in. */
    private final class Attachment {
        final PtyPair pair;
        final FileChannel in;
        final FileChannel out;
        final ByteQueue tx = new ByteQueue(QUEUE_BYTES);
        final ByteQueue rx = new ByteQueue(QUEUE_BYTES);
        final Thread reader;
        final Thread writer;
        volatile boolean stopping;

        Attachment() throws IOException {
            pair = existing ? null : new PtyPair(outer, inner);
            Path tty = existing ? outer : inner;
            try {
                in = FileChannel.open(tty, StandardOpenOption.READ);
                out = FileChannel.open(tty, StandardOpenOption.WRITE);
            } catch (IOException | RuntimeException e) {
                if (pair != null) {
                    pair.close();
                }
                throw e;
            }
            reader = new Thread(this::readLoop, "sim-" + name + "-reader");
            writer = new Thread(this::writeLoop, "sim-" + name + "-writer");
            reader.setDaemon(true);
            writer.setDaemon(true);
            reader.start();
            writer.start();
        }

        void readLoop() {
            ByteBuffer buf = ByteBuffer.allocate(512);
            try {
                while (!stopping) {
                    buf.clear();
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    if (n > 0 && !tx.putAll(buf.array(), 0, n)) {
                        break;
                    }
                    onData.run();
                }
            } catch (IOException | InterruptedException e) {
                if (!stopping) {
                    Logger.debug("sim port {} reader ended: {}", name, e.toString());
                }
            }
        }

        void writeLoop() {
            byte[] chunk = new byte[512];
            try {
                while (!stopping) {
                    int n = rx.drainTo(chunk, chunk.length, 100);
                    ByteBuffer b = ByteBuffer.wrap(chunk, 0, n);
                    while (b.hasRemaining() && !stopping) {
                        out.write(b);
                    }
                }
            } catch (IOException | InterruptedException e) {
                if (!stopping) {
                    Logger.debug("sim port {} writer ended: {}", name, e.toString());
                }
            }
        }

        void detach() {
            stopping = true;
            tx.close();
            rx.close();
            if (pair != null) {
                pair.close(); // the tty vanishes for whoever has the outer end open
            }
            closeQuietly(in);
            closeQuietly(out);
            try {
                reader.join(2000);
                writer.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (reader.isAlive() || writer.isAlive()) {
                Logger.warn("sim port {}: I/O threads did not stop", name);
            }
        }
    }

    SimPort(String name, Path outer, Path inner, SimCounters counters, Runnable onData) {
        this(name, outer, inner, counters, onData, false);
    }

    private SimPort(String name, Path outer, Path inner, SimCounters counters, Runnable onData, boolean existing) {
        this.name = name;
        this.outer = outer;
        this.inner = inner;
        this.counters = counters;
        this.onData = onData;
        this.existing = existing;
    }

    /** A node on a tty that already exists (and stays); the simulator opens {@code tty} itself. */
    static SimPort existing(String name, Path tty, SimCounters counters, Runnable onData) {
        return new SimPort(name, tty, null, counters, onData, true);
    }

    String name() {
        return name;
    }

    /** The path the program under test opens. */
    Path path() {
        return outer;
    }

    /** Create the ptys and start moving bytes. No effect if already plugged. */
    synchronized void plug() throws IOException {
        if (attachment == null) {
            attachment = new Attachment();
        }
    }

    /** Make the outer pty vanish; pending bytes are lost. No effect if not plugged. */
    synchronized void unplug() {
        Attachment a = attachment;
        attachment = null;
        if (a != null) {
            a.detach();
        }
    }

    boolean isPlugged() {
        return attachment != null;
    }

    /** Bytes this node has sent and the medium has not yet carried; null while unplugged. */
    ByteQueue transmitQueue() {
        Attachment a = attachment;
        return a == null ? null : a.tx;
    }

    /** Deliver bytes to the program on the outer end; what does not fit is counted lost. */
    void receive(byte[] bytes, int length) {
        Attachment a = attachment;
        int taken = a == null ? 0 : a.rx.offerAll(bytes, length);
        counters.bytesDelivered.addAndGet(taken);
        counters.overruns.addAndGet(length - taken);
    }

    private static void closeQuietly(FileChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // already gone with the pty
        }
    }
}

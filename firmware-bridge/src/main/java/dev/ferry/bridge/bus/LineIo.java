package dev.ferry.bridge.bus;

import dev.ferry.rp.Decoded;
import dev.ferry.serial.frame.Frame;
import dev.ferry.serial.frame.FrameCounters;
import dev.ferry.serial.frame.FrameDecoder;
import dev.ferry.serial.frame.FrameEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The line as the bus master's turns use it: frames out (COBS-encoded, with a leading 00 after
 * silence), bytes in (decoded into frames for one consumer, the {@link Poller}), the byte
 * counters, and the waits every turn needs. Bus thread only, except the counters.
 */
final class LineIo {
    /** A transmission after this much silence starts with a 00 that closes off line noise. */
    static final long IDLE_GAP_NANOS = 2_000_000L;

    private final BusConfig config;
    private final BusClock clock;
    private final FrameEncoder encoder;
    private final FrameDecoder decoder;
    private final FrameCounters frameCounters = new FrameCounters();
    private final byte[] buffer = new byte[1024];
    private final Consumer<Decoded<Frame>> sink;

    final AtomicLong bytesIn = new AtomicLong();
    final AtomicLong bytesOut = new AtomicLong();

    private long lastActivity = Long.MIN_VALUE;
    private boolean fresh = true;

    /** Decoded frames (and decode errors, already counted) go to {@code sink}. */
    LineIo(BusConfig config, BusClock clock, Consumer<Decoded<Frame>> sink) {
        this.config = config;
        this.clock = clock;
        this.encoder = new FrameEncoder(config.hostParams().frameSize());
        this.decoder = new FrameDecoder(config.hostParams().frameSize(), frameCounters);
        this.sink = sink;
    }

    FrameCounters frameCounters() {
        return frameCounters;
    }

    /** When a byte last crossed the line (either way). */
    long lastActivity() {
        return lastActivity;
    }

    /** The bytes of one transmission: a leading 00 if the line was silent, then the frames. */
    byte[] encode(List<Frame> frames, long now) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (fresh || now - lastActivity > IDLE_GAP_NANOS) {
            out.write(0);
        }
        for (Frame f : frames) {
            out.writeBytes(encoder.encode(f));
        }
        return out.toByteArray();
    }

    void write(LinePort port, byte[] bytes) throws IOException {
        port.write(bytes, 0, bytes.length);
        bytesOut.addAndGet(bytes.length);
        fresh = false;
        lastActivity = clock.nanoTime();
    }

    /** Reads for at most {@code left} nanos (in slices of the line's read timeout) and decodes; bytes read. */
    int read(LinePort port, long left) throws IOException {
        int ms = (int) Math.max(1, Math.min(config.readSliceMs(), (left + 999_999) / 1_000_000));
        return took(port.read(buffer, 0, buffer.length, ms));
    }

    /** The first bytes of an answer, awaited as {@link AnswerWait} says; decoded; bytes read. */
    int firstBytes(LinePort port, long earliest, long deadline) throws IOException {
        return took(AnswerWait.firstBytes(port, clock, buffer, earliest, deadline));
    }

    private int took(int got) {
        if (got > 0) {
            bytesIn.addAndGet(got);
            lastActivity = clock.nanoTime();
            decoder.feed(buffer, 0, got, sink);
        }
        return got;
    }

    /** Bytes that arrived between turns are decoded as outside any turn (counted, ignored). */
    void drainLate(LinePort port) throws IOException {
        for (int i = 0; i < 8 && took(port.read(buffer, 0, buffer.length, 0)) > 0; i++) {
            // read what is there, no more
        }
    }

    /**
     * After a timeout the station may still be answering the poll we gave up on. Polling again
     * at once would let that old answer's final frame end the new turn, and the bus would stay one
     * answer behind, every window crossing the line twice. So wait until the line has been quiet
     * for {@code gap} (one frame's wire time + margin), never past {@code cap}; what arrives is
     * decoded (outside any turn: counted, ignored). {@code late} hears when the first late byte came.
     */
    void awaitQuiet(LinePort port, long gap, long cap, LongConsumer late) throws IOException {
        long quietUntil = clock.nanoTime() + gap;
        LongConsumer first = late;
        while (true) {
            long left = Math.min(quietUntil, cap) - clock.nanoTime();
            if (left <= 0) {
                return;
            }
            if (read(port, left) > 0) {
                if (first != null) {
                    first.accept(lastActivity);
                    first = null;
                }
                quietUntil = lastActivity + gap;
            }
        }
    }

    /** The line failed: a new one starts with a leading 00 and a fresh decoder. */
    void lost() {
        decoder.reset();
        fresh = true;
    }
}

package dev.ferry.serial.frame;

import dev.ferry.rp.DecodeError;
import dev.ferry.rp.Decoded;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Streaming receiver for line bytes (PROTOCOL.md 2.3). Bytes are un-stuffed and CRC-checked as
 * they arrive; at each 00 delimiter a non-empty frame yields exactly one result: a {@link Frame}
 * or one of OVERLONG, BAD_COBS, RUNT, BAD_CRC. OVERLONG means more than W(N) - 1 encoded bytes or
 * more than N decoded bytes (the vectors require the latter). Empty frames are ignored. After any error it
 * resynchronises at the next 00, so no error affects the next frame.
 *
 * <p>Callers may rely on: {@code feed} never throws on any input; memory is fixed at construction
 * (N bytes, never grows); every result is counted in {@link #counters()}. Not thread-safe: one
 * thread feeds.
 */
public final class FrameDecoder {
    /** Where the decoder is within a frame. */
    public enum State {
        /** Expecting a COBS code byte (also the initial state and the state after a delimiter). */
        CODE,
        /** Copying the data bytes of a code block. */
        DATA,
        /** Over-long frame: dropping bytes until the next delimiter. */
        DISCARD
    }

    private final int frameSize;
    private final int maxEncoded;
    private final byte[] buf;
    private final FrameCounters counters;

    private State state = State.CODE;
    private int encoded;
    private int len;
    private int remaining;
    private boolean zeroDue;
    private int crc = Crc16.INIT;

    /** A decoder for frame size N with its own counters. */
    public FrameDecoder(int frameSize) {
        this(frameSize, new FrameCounters());
    }

    /**
     * A decoder for frame size {@code frameSize} (N, 4..2048) counting into {@code counters}.
     *
     * @throws IllegalArgumentException if N is out of range
     */
    public FrameDecoder(int frameSize, FrameCounters counters) {
        FrameEncoder.checkFrameSize(frameSize);
        this.frameSize = frameSize;
        this.maxEncoded = FrameEncoder.maxWireLength(frameSize) - 1;
        this.buf = new byte[frameSize];
        this.counters = counters;
    }

    public int frameSize() {
        return frameSize;
    }

    public State state() {
        return state;
    }

    /** Bytes of the current partial frame held (never more than N). */
    public int buffered() {
        return len;
    }

    /** The fixed capacity of the internal buffer. */
    public int capacity() {
        return buf.length;
    }

    public FrameCounters counters() {
        return counters;
    }

    /** Drops any partial frame, as after a delimiter. */
    public void reset() {
        state = State.CODE;
        encoded = 0;
        len = 0;
        remaining = 0;
        zeroDue = false;
        crc = Crc16.INIT;
    }

    /** Feeds bytes; each completed frame or error is passed to {@code sink} in order. */
    public void feed(byte[] bytes, int off, int n, Consumer<Decoded<Frame>> sink) {
        for (int i = off, end = off + n; i < end; i++) {
            byte b = bytes[i];
            if (b == 0) {
                endOfFrame(sink);
            } else {
                accept(b);
            }
        }
    }

    /** Feeds the remaining bytes of {@code bytes} (its position ends at its limit). */
    public void feed(ByteBuffer bytes, Consumer<Decoded<Frame>> sink) {
        while (bytes.hasRemaining()) {
            byte b = bytes.get();
            if (b == 0) {
                endOfFrame(sink);
            } else {
                accept(b);
            }
        }
    }

    /** Feeds a whole array and returns the results in order. */
    public List<Decoded<Frame>> feed(byte[] bytes) {
        List<Decoded<Frame>> out = new ArrayList<>(2);
        feed(bytes, 0, bytes.length, out::add);
        return out;
    }

    private void accept(byte b) {
        if (state == State.DISCARD) {
            return;
        }
        if (++encoded > maxEncoded) {
            state = State.DISCARD;
            return;
        }
        if (state == State.CODE) {
            if (zeroDue) {
                if (len == frameSize) {
                    state = State.DISCARD;
                    return;
                }
                buf[len++] = 0;
                crc = Crc16.update(crc, (byte) 0);
            }
            int code = b & 0xFF;
            remaining = code - 1;
            zeroDue = code < 0xFF;
            state = remaining > 0 ? State.DATA : State.CODE;
        } else {
            if (len == frameSize) {
                state = State.DISCARD;
                return;
            }
            buf[len++] = b;
            crc = Crc16.update(crc, b);
            if (--remaining == 0) {
                state = State.CODE;
            }
        }
    }

    private void endOfFrame(Consumer<Decoded<Frame>> sink) {
        Decoded<Frame> result;
        if (state == State.DISCARD) {
            result = Decoded.error(DecodeError.OVERLONG);
        } else if (encoded == 0) {
            return;                                     // empty frame: not an error
        } else if (state == State.DATA) {
            result = Decoded.error(DecodeError.BAD_COBS);
        } else if (len < 4) {
            result = Decoded.error(DecodeError.RUNT);
        } else if (crc != Crc16.GOOD_RESIDUE) {
            result = Decoded.error(DecodeError.BAD_CRC);
        } else {
            result = Decoded.ok(new Frame(buf[0] & 0xFF, buf[1] & 0xFF, buf, 2, len - 4));
        }
        if (result.isOk()) {
            counters.countGood();
        } else {
            counters.count(result.error());
        }
        reset();
        sink.accept(result);
    }
}

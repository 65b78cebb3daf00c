package dev.ferry.serial.segment;

import dev.ferry.rp.DecodeError;
import dev.ferry.rp.Decoded;
import dev.ferry.serial.frame.FrameCounters;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Rebuilds messages from segments of one direction of one link (PROTOCOL.md 4). Memory is bounded
 * by the maximum message size given at construction. Each call to {@link #accept} passes zero or
 * more results to the sink: a complete message, or SEGMENT_GAP / TOO_LARGE (counted). Never
 * throws on bad input. Not thread-safe.
 */
public final class Reassembler {
    private enum State { IDLE, COLLECTING, DISCARDING }

    private final int maxMessageSize;
    private final FrameCounters counters;
    private byte[] buf = new byte[0];
    private int len;
    private int nextIndex;
    private State state = State.IDLE;

    /**
     * @param maxMessageSize largest message accepted, in bytes (at least 1)
     * @param counters where SEGMENT_GAP and TOO_LARGE are counted
     */
    public Reassembler(int maxMessageSize, FrameCounters counters) {
        if (maxMessageSize < 1) {
            throw new IllegalArgumentException("max message size must be positive: " + maxMessageSize);
        }
        this.maxMessageSize = maxMessageSize;
        this.counters = counters;
    }

    public int maxMessageSize() {
        return maxMessageSize;
    }

    /** Bytes currently held for a partial message (at most the maximum message size). */
    public int buffered() {
        return len;
    }

    /** True while a message is partly received. */
    public boolean inProgress() {
        return state == State.COLLECTING;
    }

    /** Drops any partial message silently (link reset). */
    public void reset() {
        state = State.IDLE;
        len = 0;
    }

    /** Takes one segment (segment byte + part); results go to {@code sink}. */
    public void accept(byte[] seg, int off, int n, Consumer<Decoded<byte[]>> sink) {
        if (n < 1) {
            fail(DecodeError.SEGMENT_GAP, sink);
            return;
        }
        int sb = seg[off] & 0xFF;
        boolean first = (sb & Segmenter.FIRST) != 0;
        boolean more = (sb & Segmenter.MORE) != 0;
        int index = sb & Segmenter.INDEX_MASK;
        if (first) {
            if (state == State.COLLECTING) {
                fail(DecodeError.SEGMENT_GAP, sink);      // old message dropped, new one starts
            }
            if (index != 0) {
                fail(DecodeError.SEGMENT_GAP, sink);
                return;
            }
            state = State.COLLECTING;
            len = 0;
            nextIndex = 0;
        } else if (state == State.DISCARDING) {
            if (!more) {
                state = State.IDLE;
            }
            return;
        } else if (state == State.IDLE || index != nextIndex) {
            fail(DecodeError.SEGMENT_GAP, sink);
            return;
        }
        int part = n - 1;
        if ((long) len + part > maxMessageSize) {
            len = 0;
            state = more ? State.DISCARDING : State.IDLE;
            counters.count(DecodeError.TOO_LARGE);
            sink.accept(Decoded.error(DecodeError.TOO_LARGE));
            return;
        }
        ensure(len + part);
        System.arraycopy(seg, off + 1, buf, len, part);
        len += part;
        nextIndex = (nextIndex + 1) & Segmenter.INDEX_MASK;
        if (!more) {
            byte[] msg = Arrays.copyOf(buf, len);
            state = State.IDLE;
            len = 0;
            sink.accept(Decoded.ok(msg));
        }
    }

    /** Takes a whole array as one segment. */
    public void accept(byte[] seg, Consumer<Decoded<byte[]>> sink) {
        accept(seg, 0, seg.length, sink);
    }

    private void ensure(int need) {
        if (need > buf.length) {
            buf = Arrays.copyOf(buf, Math.min(maxMessageSize, Math.max(need, Math.max(64, buf.length * 2))));
        }
    }

    private void fail(DecodeError e, Consumer<Decoded<byte[]>> sink) {
        state = State.IDLE;
        len = 0;
        counters.count(e);
        sink.accept(Decoded.error(e));
    }
}

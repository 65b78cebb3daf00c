package dev.ferry.serial.frame;

import dev.ferry.rp.DecodeError;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts decoded frames and decode errors by {@link DecodeError} kind. Any layer may count into
 * it (frame, segment and header errors share the enum). Writes come from the owning decoder's
 * thread; reads are safe from any thread and never block.
 */
public final class FrameCounters {
    private static final DecodeError[] KINDS = DecodeError.values();

    private final AtomicLongArray errors = new AtomicLongArray(KINDS.length);
    private final AtomicLongArray good = new AtomicLongArray(1);

    /** Counts one error of the given kind. */
    public void count(DecodeError error) {
        errors.incrementAndGet(error.ordinal());
    }

    /** Counts one good frame. */
    public void countGood() {
        good.incrementAndGet(0);
    }

    /** Errors of one kind so far. */
    public long errors(DecodeError kind) {
        return errors.get(kind.ordinal());
    }

    /** All errors so far. */
    public long totalErrors() {
        long t = 0;
        for (int i = 0; i < KINDS.length; i++) {
            t += errors.get(i);
        }
        return t;
    }

    /** Good frames so far. */
    public long good() {
        return good.get(0);
    }

    /** A snapshot of the non-zero error counts. */
    public Map<DecodeError, Long> snapshot() {
        Map<DecodeError, Long> m = new EnumMap<>(DecodeError.class);
        for (DecodeError k : KINDS) {
            long v = errors.get(k.ordinal());
            if (v != 0) {
                m.put(k, v);
            }
        }
        return m;
    }

    @Override
    public String toString() {
        return "good=" + good() + " errors=" + snapshot();
    }
}

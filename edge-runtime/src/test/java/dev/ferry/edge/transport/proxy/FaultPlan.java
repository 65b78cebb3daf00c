package dev.ferry.edge.transport.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Faults for one direction of a proxied transport, changeable at run time from a test. Applied
 * per envelope (TCP frame or UDP datagram). Thread-safe.
 */
public final class FaultPlan {
    private final Random random = new Random(42);
    private volatile boolean blackHole;
    private volatile double drop;
    private volatile double duplicate;
    private volatile boolean reorder;
    private volatile int delayMillis;
    private volatile double corrupt;
    private final AtomicInteger corruptNext = new AtomicInteger();
    private final AtomicLong passed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong corrupted = new AtomicLong();
    private byte[] held;

    public FaultPlan blackHole(boolean on) {
        blackHole = on;
        return this;
    }

    public FaultPlan drop(double probability) {
        drop = probability;
        return this;
    }

    public FaultPlan duplicate(double probability) {
        duplicate = probability;
        return this;
    }

    /** Swap each pair of consecutive envelopes. */
    public FaultPlan reorder(boolean on) {
        reorder = on;
        return this;
    }

    public FaultPlan delay(int millis) {
        delayMillis = millis;
        return this;
    }

    /**
     * Flip one random bit of one random byte in each envelope (any kind) with {@code probability}:
     * a relay that corrupts what it carries. Counted in {@link #corrupted}.
     */
    public FaultPlan corrupt(double probability) {
        corrupt = probability;
        return this;
    }

    /** Corrupt (flip the last byte of) the next {@code n} sequenced envelopes (first byte 0x08). */
    public FaultPlan corruptNext(int n) {
        corruptNext.set(n);
        return this;
    }

    /** Back to a clean pass-through. */
    public FaultPlan heal() {
        blackHole = false;
        drop = 0;
        duplicate = 0;
        reorder = false;
        delayMillis = 0;
        corrupt = 0;
        corruptNext.set(0);
        return this;
    }

    public boolean isBlackHole() {
        return blackHole;
    }

    int delayMillis() {
        return delayMillis;
    }

    /** What to forward now for one arriving envelope (possibly nothing, possibly two). */
    synchronized List<byte[]> apply(byte[] envelope) {
        List<byte[]> out = new ArrayList<>(2);
        if (blackHole || (drop > 0 && random.nextDouble() < drop)) {
            dropped.incrementAndGet();
            return out;
        }
        byte[] e = envelope;
        if (e.length > 4 && e[0] == 0x08 && corruptNext.get() > 0 && corruptNext.getAndDecrement() > 0) {
            e = e.clone();
            e[e.length - 1] ^= 0x01;
            corrupted.incrementAndGet();
        } else if (corrupt > 0 && e.length > 0 && random.nextDouble() < corrupt) {
            e = e.clone();
            e[random.nextInt(e.length)] ^= (byte) (1 << random.nextInt(8));
            corrupted.incrementAndGet();
        }
        if (reorder && held == null) {
            held = e;
            return out;
        }
        out.add(e);
        if (duplicate > 0 && random.nextDouble() < duplicate) {
            out.add(e);
        }
        if (held != null) {
            out.add(held);
            held = null;
        }
        passed.addAndGet(out.size());
        return out;
    }

    public long passed() {
        return passed.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public long corrupted() {
        return corrupted.get();
    }
}

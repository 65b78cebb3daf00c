package dev.ferry.edge.raet;

/**
 * Sliding anti-replay window over packet counters (RAET.md 5.4): accepts each counter at most
 * once, and none more than {@link #SIZE} below the highest accepted. Fixed memory. Check first
 * with {@link #fresh}, then {@link #mark} only once the packet authenticated.
 */
public final class ReplayWindow {
    public static final int SIZE = 1024;
    private final long[] bits = new long[SIZE / 64];
    private long highest;

    /** True when {@code counter} (≥ 1) was not accepted before and is not too old. */
    public boolean fresh(long counter) {
        if (counter <= 0) {
            return false;
        }
        if (counter > highest) {
            return true;
        }
        if (highest - counter >= SIZE) {
            return false;
        }
        return (bits[(int) (counter / 64 % bits.length)] & 1L << (counter % 64)) == 0;
    }

    /** Records {@code counter} as accepted. */
    public void mark(long counter) {
        if (counter > highest) {
            long shift = counter - highest;
            if (shift >= SIZE) {
                java.util.Arrays.fill(bits, 0);
            } else {
                for (long c = highest + 1; c <= counter; c++) {
                    bits[(int) (c / 64 % bits.length)] &= ~(1L << (c % 64));
                }
            }
            highest = counter;
        }
        bits[(int) (counter / 64 % bits.length)] |= 1L << (counter % 64);
    }

    public long highest() {
        return highest;
    }
}

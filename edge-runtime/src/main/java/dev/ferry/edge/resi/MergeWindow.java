package dev.ferry.edge.resi;

import dev.ferry.edge.config.PeerConfig;
import java.util.List;
import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * The receive side of a peer link: merges the copies of each sequenced envelope that arrive on
 * several transports and releases them once, in sequence order. Pure code, not thread-safe.
 *
 * <p>Sequence numbers up to {@link #delivered()} have been released; anything at or below it is
 * a duplicate. Above it, a ring of {@code capacity} slots (the duplicate window, as in PRP's
 * duplicate discard) holds envelopes that arrived early (a gap before them) or, in strict mode,
 * that still wait for copies; a sequence number beyond the ring is refused (the sender resends
 * it once the window has moved).
 * <ul>
 *   <li>permissive: the first copy of a sequence number is kept, later copies are duplicates.</li>
 *   <li>strict: a sequence number is released when every transport in the live set has given a
 *       copy and all copies are the same ({@code same}); the first copy that differs from another
 *       is a mismatch: all copies of that number are discarded (nothing is released) and the
 *       caller asks the sender to resend it. When the live set shrinks, call
 *       {@link #liveChanged} so waiting envelopes are re-evaluated (strict degrades, never
 *       stalls on a dead transport).</li>
 * </ul>
 *
 * @param <P> payload compared for strict mode
 */
public final class MergeWindow<P> {
    /** What happened to one offered copy. */
    public enum Outcome { ACCEPTED, DUPLICATE, OUT_OF_WINDOW, MISMATCH }

    /** The two transports whose copies of {@code seq} differed. */
    public record Mismatch(long seq, int first, int second) { }

    private final PeerConfig.Mode mode;
    private final int capacity;
    private final int transports;
    private final BiPredicate<P, P> same;
    private final long[] seqs;
    private final int[] firstArrived;
    private final Object[] copies;
    private long delivered;
    private int held;
    private Mismatch lastMismatch;
    private long copiesMerged;
    private long duplicates;
    private long mismatches;
    private long outOfWindow;

    public MergeWindow(PeerConfig.Mode mode, int capacity, int transports, BiPredicate<P, P> same) {
        if (capacity < 1 || transports < 1 || transports > 64) {
            throw new IllegalArgumentException("capacity >= 1 and 1..64 transports");
        }
        this.mode = Objects.requireNonNull(mode, "mode");
        this.capacity = capacity;
        this.transports = transports;
        this.same = Objects.requireNonNull(same, "same");
        this.seqs = new long[capacity];
        this.firstArrived = new int[capacity];
        this.copies = new Object[capacity * transports];
    }

    /**
     * Offers the copy of {@code seq} that arrived on {@code transport}; appends whatever became
     * releasable, in order, to {@code out}.
     *
     * @param liveMask bit i set = transport i is in the live set (strict mode waits for those)
     */
    public Outcome offer(long seq, int transport, P payload, long liveMask, List<P> out) {
        if (transport < 0 || transport >= transports) {
            throw new IllegalArgumentException("transport " + transport);
        }
        if (seq <= delivered) {
            duplicates++;
            return Outcome.DUPLICATE;
        }
        if (seq - delivered > capacity) {
            outOfWindow++;
            return Outcome.OUT_OF_WINDOW;
        }
        copiesMerged++;
        int slot = (int) (seq % capacity);
        int base = slot * transports;
        if (seqs[slot] != seq) {
            seqs[slot] = seq;
            firstArrived[slot] = transport;
            held++;
            copies[base + transport] = payload;
            drain(liveMask, out);
            return Outcome.ACCEPTED;
        }
        if (mode == PeerConfig.Mode.PERMISSIVE) {
            duplicates++;
            return Outcome.DUPLICATE;
        }
        for (int t = 0; t < transports; t++) {
            @SuppressWarnings("unchecked")
            P other = (P) copies[base + t];
            if (other != null && !same.test(other, payload)) {
                mismatches++;
                lastMismatch = new Mismatch(seq, t, transport);
                clear(slot);
                return Outcome.MISMATCH;
            }
        }
        if (copies[base + transport] != null) {
            duplicates++;
            return Outcome.DUPLICATE;
        }
        copies[base + transport] = payload;
        drain(liveMask, out);
        return Outcome.ACCEPTED;
    }

    /**
     * Whether a copy of {@code seq} offered now would be the first one taken into the window
     * (not yet released, inside the window, no copy held). Any other copy is a duplicate, out of
     * the window or (strict) compared with the copies held, so callers need not decode it.
     */
    public boolean isFirstCopy(long seq) {
        return seq > delivered && seq - delivered <= capacity && seqs[(int) (seq % capacity)] != seq;
    }

    /** The live set changed: strict mode may now release envelopes that waited for a lost copy. */
    public void liveChanged(long liveMask, List<P> out) {
        drain(liveMask, out);
    }

    private void drain(long liveMask, List<P> out) {
        while (true) {
            long next = delivered + 1;
            int slot = (int) (next % capacity);
            if (seqs[slot] != next || !complete(slot, liveMask)) {
                return;
            }
            out.add(firstCopy(slot));
            clear(slot);
            delivered = next;
        }
    }

    private boolean complete(int slot, long liveMask) {
        if (mode == PeerConfig.Mode.PERMISSIVE) {
            return true;
        }
        int base = slot * transports;
        for (int t = 0; t < transports; t++) {
            if ((liveMask & (1L << t)) != 0 && copies[base + t] == null) {
                return false;
            }
        }
        return true;
    }

    /** The copy that arrived first (strict: all copies are the same content). */
    @SuppressWarnings("unchecked")
    private P firstCopy(int slot) {
        int base = slot * transports;
        if (copies[base + firstArrived[slot]] != null) {
            return (P) copies[base + firstArrived[slot]];
        }
        for (int t = 0; t < transports; t++) {
            if (copies[base + t] != null) {
                return (P) copies[base + t];
            }
        }
        throw new IllegalStateException("empty slot " + slot);
    }

    private void clear(int slot) {
        seqs[slot] = 0;
        held--;
        int base = slot * transports;
        for (int t = 0; t < transports; t++) {
            copies[base + t] = null;
        }
    }

    /** Forgets everything held; the next releasable number is {@code newDelivered + 1}. */
    public void reset(long newDelivered) {
        java.util.Arrays.fill(seqs, 0);
        java.util.Arrays.fill(copies, null);
        held = 0;
        delivered = newDelivered;
    }

    /** Highest sequence number released (everything up to it): the cumulative ack. */
    public long delivered() {
        return delivered;
    }

    /** Envelopes held (early, or waiting for copies). */
    public int held() {
        return held;
    }

    /** Whether a copy of {@code seq} that arrived on {@code transport} is held (not yet released). */
    public boolean hasCopy(long seq, int transport) {
        int slot = (int) (seq % capacity);
        return seq > delivered && seqs[slot] == seq && copies[slot * transports + transport] != null;
    }

    /** Whether any copy of {@code seq} is held (not yet released). */
    public boolean isHeld(long seq) {
        return seq > delivered && seqs[(int) (seq % capacity)] == seq;
    }

    /** The capacity (the duplicate window): sequence numbers above {@link #delivered} it can hold. */
    public int capacity() {
        return capacity;
    }

    /** Whether {@code seq} is held and still lacks a copy from a transport in {@code liveMask}. */
    public boolean waitingForCopies(long seq, long liveMask) {
        int slot = (int) (seq % capacity);
        return seq > delivered && seqs[slot] == seq && !complete(slot, liveMask);
    }

    public Mismatch lastMismatch() {
        return lastMismatch;
    }

    /** Copies taken into the window (first copies and later ones merged with them). */
    public long copiesMerged() {
        return copiesMerged;
    }

    public long duplicates() {
        return duplicates;
    }

    public long mismatches() {
        return mismatches;
    }

    public long outOfWindow() {
        return outOfWindow;
    }
}

package dev.ferry.edge.raet;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Receiver side of kind C (RAET.md 3.3): reassembles segments, holds complete messages in escrow
 * until every earlier order index was delivered, delivers in order exactly once, and owes the
 * sender a status after new data (sent at the end of a read batch) or when a gap is older than the
 * escrow timeout. Bounded: order indexes within {@code pendingMessages} of the next one, segment
 * count within {@code maxSegments}, held bytes within {@code reassemblyBytes}. Single-threaded.
 */
final class SeqReceiver {
    private static final class Slot {
        final long oi;
        final long ti;
        final int sc;
        final byte[][] segs;
        int count;
        int hi;
        int bytes;

        Slot(long oi, long ti, int sc) {
            this.oi = oi;
            this.ti = ti;
            this.sc = sc;
            this.segs = new byte[sc][];
        }
    }

    /** Outcome of one segment. */
    enum Result { ACCEPTED, DUPLICATE, OUT_OF_WINDOW, TOO_MANY_SEGMENTS, INCONSISTENT, FULL }

    private final RaetOptions o;
    private final Consumer<byte[]> deliver;
    private final Slot[] ring;
    private long cum = 1;
    private long hiOi;
    private long heldBytes;
    private boolean owed;
    /** Segments accepted since the last status. */
    private int sinceStatus;
    /** A duplicate, a gap or a hole being filled since the last status: the sender should hear at once. */
    private boolean urgent;
    private final int ackEvery;
    private long lastStatusAt;
    private long lastDeliveredTi;
    private long escrowExpiries;

    SeqReceiver(RaetOptions o, Consumer<byte[]> deliver) {
        this.o = o;
        this.deliver = deliver;
        this.ring = new Slot[o.pendingMessages()];
        this.ackEvery = Math.max(1, Math.min(32, o.windowSegments() / 8));
    }

    Result accept(Header h, byte[] body, long now) {
        long oi = h.oi();
        if (oi < cum) {
            owed = true;
            urgent = true;
            return Result.DUPLICATE;
        }
        if (oi >= cum + ring.length) {
            return Result.OUT_OF_WINDOW;
        }
        if (h.sc() > o.maxSegments()) {
            return Result.TOO_MANY_SEGMENTS;
        }
        int idx = (int) (oi % ring.length);
        Slot s = ring[idx];
        if (s == null) {
            if (oi > Math.max(hiOi + 1, cum)) {
                urgent = true; // a whole message skipped
            }
            s = new Slot(oi, h.ti(), h.sc());
            ring[idx] = s;
        } else if (s.sc != h.sc() || s.ti != h.ti()) {
            return Result.INCONSISTENT;
        }
        if (s.segs[h.sn()] != null) {
            owed = true;
            urgent = true;
            return Result.DUPLICATE;
        }
        if (heldBytes + body.length > o.reassemblyBytes()) {
            return Result.FULL;
        }
        if (h.sn() != s.hi) {
            urgent = true; // segments skipped, or a hole filled
        }
        sinceStatus++;
        s.segs[h.sn()] = body;
        s.count++;
        s.bytes += body.length;
        s.hi = Math.max(s.hi, h.sn() + 1);
        heldBytes += body.length;
        hiOi = Math.max(hiOi, oi);
        owed = true;
        deliverReady();
        return Result.ACCEPTED;
    }

    private void deliverReady() {
        while (true) {
            int idx = (int) (cum % ring.length);
            Slot s = ring[idx];
            if (s == null || s.count < s.sc) {
                return;
            }
            byte[] m = new byte[s.bytes];
            int off = 0;
            for (byte[] seg : s.segs) {
                System.arraycopy(seg, 0, m, off, seg.length);
                off += seg.length;
            }
            ring[idx] = null;
            heldBytes -= s.bytes;
            lastDeliveredTi = s.ti;
            cum++;
            deliver.accept(m);
        }
    }

    /**
     * At the end of a read batch: true when the status owed should go now — after a duplicate,
     * a gap or a filled hole, or once {@code ackEvery} segments arrived since the last one. Other
     * statuses wait for the next timer tick ({@link #statusOwed}), so a steady stream costs one
     * status per {@code ackEvery} segments rather than one per read batch.
     */
    boolean statusDue(long now) {
        return statusOwed(now) && (urgent || sinceStatus >= ackEvery);
    }

    /** True when a status should be sent now (new data arrived, or an old gap needs asking). */
    boolean statusOwed(long now) {
        if (!owed && hiOi >= cum && now - lastStatusAt >= o.escrowTimeout()) {
            escrowExpiries++;
            owed = true;
        }
        return owed;
    }

    /** Next order index to deliver (everything below was delivered). */
    long cumulative() {
        return cum;
    }

    long lastDeliveredTi() {
        return lastDeliveredTi;
    }

    /** Progress entries for the status body; {@code needs[0]} set when something is missing. */
    List<SeqStatus.Entry> entries(boolean[] needs, boolean[] all, long now) {
        owed = false;
        urgent = false;
        sinceStatus = 0;
        lastStatusAt = now;
        List<SeqStatus.Entry> out = new ArrayList<>();
        int budget = SeqStatus.MAX_RANGES * 2;
        for (long oi = cum; oi <= hiOi && out.size() < SeqStatus.MAX_ENTRIES && oi - cum < 65535; oi++) {
            Slot s = ring[(int) (oi % ring.length)];
            if (s == null) {
                needs[0] = true;
                all[0] = true;
                out.add(new SeqStatus.Entry((int) (oi - cum), 0, new int[0]));
                continue;
            }
            int[] miss = new int[Math.min(budget, 2 * SeqStatus.MAX_RANGES)];
            int n = 0;
            int hi = s.hi;
            for (int sn = 0; sn < s.hi; sn++) {
                if (s.segs[sn] == null) {
                    if (n == miss.length) {
                        hi = sn; // ranges truncated: report progress only up to here
                        break;
                    }
                    int first = sn;
                    while (sn + 1 < s.hi && s.segs[sn + 1] == null) {
                        sn++;
                    }
                    miss[n++] = first;
                    miss[n++] = sn;
                }
            }
            if (n > 0) {
                needs[0] = true;
            }
            if (hi == 0 && s.hi > 0) {
                break; // no room left to describe this message
            }
            out.add(new SeqStatus.Entry((int) (oi - cum), hi, java.util.Arrays.copyOf(miss, n)));
            budget -= n;
            if (budget <= 0) {
                break;
            }
        }
        return out;
    }

    long heldBytes() {
        return heldBytes;
    }

    long escrowExpiries() {
        return escrowExpiries;
    }
}

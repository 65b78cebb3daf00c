package dev.ferry.edge.raet;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;

/**
 * Sender side of kind C (RAET.md 3.3): messages get consecutive order indexes, are cut into
 * segments and sent within a window of unacknowledged segments. Receiver status (cumulative order
 * index plus per-message progress) acknowledges segments and names missing ones, which are
 * resent (not sooner than the resend guard after their last send). With no progress for a retry
 * interval, the oldest unacknowledged segment and the newest sent one are sent again as probes;
 * the interval doubles up to a cap (infinite retries), or the sender gives up after the finite
 * number when configured so. Bounded by pending messages and queued bytes; single-threaded.
 */
final class SeqSender {
    /** Where segments go. */
    interface Out {
        long newTi();

        void segment(Msg m, int sn, boolean retransmit);

        /** A message left the sender (acknowledged or discarded): its bytes are free. */
        void released(Msg m, boolean delivered);
    }

    static final class Msg {
        final long ti;
        final long oi;
        final byte[] data;
        final int sc;
        final int segmentBytes;
        final boolean[] acked;
        final long[] sentAt;
        int acks;
        int next;

        Msg(long ti, long oi, byte[] data, int segmentBytes) {
            this.ti = ti;
            this.oi = oi;
            this.data = data;
            this.segmentBytes = segmentBytes;
            this.sc = Math.max(1, (data.length + segmentBytes - 1) / segmentBytes);
            this.acked = new boolean[sc];
            this.sentAt = new long[sc];
        }

        int offset(int sn) {
            return sn * segmentBytes;
        }

        int length(int sn) {
            return Math.min(segmentBytes, data.length - sn * segmentBytes);
        }
    }

    private final RaetOptions o;
    private final Out out;
    private final int maxQueuedMessages;
    private final ArrayDeque<Msg> msgs = new ArrayDeque<>();
    private long nextOi = 1;
    private int inFlight;
    private long rto;
    private long lastProgress;
    private int timeouts;
    private long retransmits;
    private long expired;

    SeqSender(RaetOptions o, Out out, int maxQueuedMessages) {
        this.o = o;
        this.out = out;
        this.maxQueuedMessages = maxQueuedMessages;
        this.rto = o.retryInitial();
    }

    /** Queues one message; false when too long or the queue is full. */
    boolean offer(byte[] m, long now) {
        if (m.length > o.maxMessage() || msgs.size() >= maxQueuedMessages) {
            return false;
        }
        if (inFlight == 0) {
            lastProgress = now;
        }
        msgs.add(new Msg(out.newTi(), nextOi++, m, o.segmentBytes()));
        pump(now);
        return true;
    }

    /** Sends new segments while the window and the receiver's escrow allow. */
    void pump(long now) {
        int index = 0;
        for (Msg m : msgs) {
            if (index++ >= o.pendingMessages() || inFlight >= o.windowSegments()) {
                return;
            }
            while (m.next < m.sc && inFlight < o.windowSegments()) {
                int sn = m.next++;
                m.sentAt[sn] = now;
                inFlight++;
                out.segment(m, sn, false);
            }
        }
    }

    /** Applies a receiver status: everything before {@code cum} is done; entries give the rest. */
    void onStatus(long cum, List<SeqStatus.Entry> entries, long now) {
        boolean progress = false;
        while (!msgs.isEmpty() && msgs.peekFirst().oi < cum) {
            Msg m = msgs.pollFirst();
            inFlight -= m.next - countAckedBelow(m, m.next);
            out.released(m, true);
            progress = true;
        }
        Iterator<Msg> it = msgs.iterator();
        Msg m = it.hasNext() ? it.next() : null;
        for (SeqStatus.Entry e : entries) {
            long oi = cum + e.delta();
            while (m != null && m.oi < oi) {
                m = it.hasNext() ? it.next() : null;
            }
            if (m == null) {
                break;
            }
            if (m.oi != oi) {
                continue;
            }
            progress |= apply(m, e, now);
        }
        if (progress) {
            lastProgress = now;
            timeouts = 0;
            rto = o.retryInitial();
        }
        pump(now);
    }

    private boolean apply(Msg m, SeqStatus.Entry e, long now) {
        boolean progress = false;
        int hi = Math.min(e.hi(), m.next);
        int r = 0;
        int[] miss = e.missing();
        for (int sn = 0; sn < hi; sn++) {
            while (r < miss.length && miss[r + 1] < sn) {
                r += 2;
            }
            boolean missing = r < miss.length && miss[r] <= sn;
            if (missing) {
                resend(m, sn, now);
            } else if (!m.acked[sn]) {
                m.acked[sn] = true;
                m.acks++;
                inFlight--;
                progress = true;
            }
        }
        if (e.hi() == 0) {
            for (int sn = 0; sn < m.next; sn++) {
                resend(m, sn, now);
            }
        }
        return progress;
    }

    private void resend(Msg m, int sn, long now) {
        if (!m.acked[sn] && sn < m.next && now - m.sentAt[sn] >= o.resendGuard()) {
            m.sentAt[sn] = now;
            retransmits++;
            out.segment(m, sn, true);
        }
    }

    private static int countAckedBelow(Msg m, int limit) {
        int n = 0;
        for (int i = 0; i < limit; i++) {
            if (m.acked[i]) {
                n++;
            }
        }
        return n;
    }

    /** Retry timer: probes when nothing progressed for the current interval. */
    void tick(long now) {
        if (inFlight == 0 || now - lastProgress < rto) {
            return;
        }
        timeouts++;
        if (o.finiteRetries() > 0 && timeouts > o.finiteRetries() && !infinite) {
            expired += msgs.size();
            clear();
            return;
        }
        lastProgress = now;
        rto = Math.min(rto * 2, o.retryCap());
        Msg first = msgs.peekFirst();
        for (int sn = 0; sn < first.next; sn++) {
            if (!first.acked[sn]) {
                first.sentAt[sn] = now;
                retransmits++;
                out.segment(first, sn, true);
                break;
            }
        }
        Msg last = null;
        for (Msg m : msgs) {
            if (m.next > 0) {
                last = m;
            }
        }
        if (last != null && !last.acked[last.next - 1] && !(last == first && last.sentAt[last.next - 1] == now)) {
            last.sentAt[last.next - 1] = now;
            retransmits++;
            out.segment(last, last.next - 1, true);
        }
    }

    /** Kind C retries forever by default (B2 style); tests may make them finite. */
    private boolean infinite = true;

    void setInfinite(boolean on) {
        infinite = on;
    }

    /** Discards everything (session gone), releasing each message undelivered. */
    void clear() {
        Msg m;
        while ((m = msgs.pollFirst()) != null) {
            out.released(m, false);
        }
        inFlight = 0;
    }

    int queued() {
        return msgs.size();
    }

    int inFlight() {
        return inFlight;
    }

    long retransmits() {
        return retransmits;
    }

    long expired() {
        return expired;
    }
}

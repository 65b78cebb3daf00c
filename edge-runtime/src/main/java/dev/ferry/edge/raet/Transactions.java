package dev.ferry.edge.raet;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * The transaction tables of one session, both sides (RAET.md section 3): kind A repeats, kind B
 * and D sub-transactions with retries and receiver duplicate detection, kind C sequence
 * ({@link SeqSender}, {@link SeqReceiver}), kind D pending requests. A new session gets new
 * tables. Single-threaded (the transport's event loop).
 */
final class Transactions {
    /** How transactions send and deliver. */
    interface Io {
        void send(Header h, byte[] body);

        void deliver(ServiceKind kind, byte[] body);

        byte[] answer(byte[] request);

        void released(int bytes, boolean delivered);

        RaetCounters counters();
    }

    private static final long TAG_A = 1L << 34;
    private static final long TAG_B = 2L << 34;
    private static final long TAG_DREQ = 3L << 34;
    private static final long TAG_DRESP = 4L << 34;
    static final long TAG_ACCEPT = 5L << 34;

    private final Session s;
    private final RaetOptions o;
    private final Io io;
    private final RetryTable retries;
    private final DupTable dupB;
    private final DupTable dupD;
    private final SeqSender seqOut;
    private final SeqReceiver seqIn;
    private final Map<Long, Pending> requests = new LinkedHashMap<>();
    private long nextTi;

    private record Pending(CompletableFuture<byte[]> future, long deadline) { }

    Transactions(Session s, RaetOptions o, Io io, long firstTi, int maxQueuedMessages) {
        this.s = s;
        this.o = o;
        this.io = io;
        this.nextTi = firstTi;
        this.retries = new RetryTable(o.transactions());
        this.dupB = new DupTable(o.dupEntries(), o.dupTimeout());
        this.dupD = new DupTable(o.dupEntries(), o.dupTimeout());
        this.seqIn = new SeqReceiver(o, m -> io.deliver(ServiceKind.SEQUENCE, m));
        this.seqOut = new SeqSender(o, new SeqSender.Out() {
            @Override
            public long newTi() {
                return Transactions.this.newTi();
            }

            @Override
            public void segment(SeqSender.Msg m, int sn, boolean retransmit) {
                int fg = (sn < m.sc - 1 ? Header.PF : 0) | (m.sc > 1 && !retransmit ? Header.BF : 0);
                Header h = header(m.ti, ServiceKind.SEQUENCE, PacketKind.MESSAGE, 0).withOrder(m.oi, sn, m.sc).withFlags(fg);
                byte[] body = java.util.Arrays.copyOfRange(m.data, m.offset(sn), m.offset(sn) + m.length(sn));
                io.send(h, body);
                if (retransmit) {
                    io.counters().retransmit();
                }
            }

            @Override
            public void released(SeqSender.Msg m, boolean delivered) {
                io.released(m.data.length, delivered);
            }
        }, maxQueuedMessages);
    }

    long newTi() {
        nextTi = nextTi >= 0xFFFF_FFFFL ? 1 : nextTi + 1;
        return nextTi;
    }

    Header header(long ti, ServiceKind sk, PacketKind pk, int fg) {
        return Header.of(s.si, ti, sk, pk).withDevices(s.localDevice, s.peerDevice).withFlags(fg);
    }

    /** Kind A: {@code repeats} copies, no acknowledgement, no receiver transaction. */
    boolean sendMaybe(byte[] body, long now) {
        if (body.length > o.segmentBytes()) {
            return false;
        }
        long ti = newTi();
        Header h = header(ti, ServiceKind.MAYBE, PacketKind.MESSAGE, 0);
        return retries.start(new RetryTable.Entry(TAG_A | ti, () -> io.send(h, body), null, o.repeats(), false,
                o.repeatInterval(), o.repeatInterval()), now);
    }

    /** Kind B: acknowledged, retried (finite B1, or infinite with back-off B2). */
    boolean sendOnce(byte[] body, boolean infinite, long now) {
        if (body.length > o.segmentBytes()) {
            return false;
        }
        long ti = newTi();
        Header h = header(ti, ServiceKind.ONCE, PacketKind.MESSAGE, 0);
        return retries.start(new RetryTable.Entry(TAG_B | ti, () -> io.send(h, body),
                () -> io.counters().expired("retry"), infinite ? 0 : 1 + o.finiteRetries(), true,
                o.retryInitial(), o.retryCap()), now);
    }

    /** Kind C. */
    boolean sendSequenced(byte[] m, long now) {
        return seqOut.offer(m, now);
    }

    /** Kind D: the future completes with the response, or fails after the request timeout. */
    CompletableFuture<byte[]> request(byte[] body, long now) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        long ti = newTi();
        if (body.length > o.segmentBytes() || requests.size() >= o.transactions()) {
            f.completeExceptionally(new IllegalStateException("request table full or body too long"));
            return f;
        }
        Header h = header(ti, ServiceKind.END_TO_END, PacketKind.MESSAGE, 0);
        requests.put(ti, new Pending(f, now + o.requestTimeout()));
        if (!retries.start(new RetryTable.Entry(TAG_DREQ | ti, () -> io.send(h, body), null, 0, true,
                o.retryInitial(), o.retryCap()), now)) {
            requests.remove(ti);
            f.completeExceptionally(new IllegalStateException("transaction table full"));
        }
        return f;
    }

    /** Starts the bootstrap ACCEPT retries (ended by the joiner's session ACK). */
    void startAccept(long ti, Runnable transmit, long now) {
        retries.start(new RetryTable.Entry(TAG_ACCEPT | ti, transmit, () -> io.counters().expired("accept"),
                1 + o.finiteRetries(), true, o.retryInitial(), o.retryCap()), now);
    }

    /** One authenticated session packet. Returns a drop or null. */
    Drop receive(Header h, byte[] body, long now) {
        ServiceKind sk = ServiceKind.of(h.sk());
        PacketKind pk = PacketKind.of(h.pk());
        boolean cf = h.flag(Header.CF);
        long ti = h.ti();
        if (pk == PacketKind.ACK || pk == PacketKind.RESEND) {
            switch (sk) {
                case SEQUENCE: {
                    List<SeqStatus.Entry> e = SeqStatus.decode(body);
                    if (e == null) {
                        return Drop.BAD_BODY;
                    }
                    seqOut.onStatus(h.oi(), e, now);
                    return null;
                }
                case ONCE:
                    if (retries.remove(TAG_B | ti) == null && retries.remove(TAG_ACCEPT | ti) == null) {
                        io.counters().duplicate();
                    }
                    return null;
                case END_TO_END:
                    retries.remove((cf ? TAG_DREQ : TAG_DRESP) | ti);
                    return null;
                default:
                    return Drop.UNEXPECTED;
            }
        }
        if (pk != PacketKind.MESSAGE) {
            return Drop.UNEXPECTED;
        }
        switch (sk) {
            case MAYBE:
                io.deliver(sk, body);
                return null;
            case ONCE:
                return once(ti, body, now);
            case SEQUENCE:
                return sequence(h, body, now);
            default:
                return cf ? response(ti, body) : requestIn(ti, body, now);
        }
    }

    private Drop once(long ti, byte[] body, long now) {
        DupTable.Outcome d = dupB.admit(ti, now);
        if (d == DupTable.Outcome.FULL) {
            return Drop.TABLE_FULL;
        }
        io.send(header(ti, ServiceKind.ONCE, PacketKind.ACK, Header.CF), new byte[0]);
        if (d == DupTable.Outcome.DUPLICATE) {
            io.counters().duplicate();
        } else {
            io.deliver(ServiceKind.ONCE, body);
        }
        return null;
    }

    private Drop sequence(Header h, byte[] body, long now) {
        switch (seqIn.accept(h, body, now)) {
            case ACCEPTED:
                return null;
            case DUPLICATE:
                io.counters().duplicate();
                return null;
            case TOO_MANY_SEGMENTS:
                return Drop.TOO_MANY_SEGMENTS;
            case INCONSISTENT:
                return Drop.BAD_VALUE;
            default:
                return Drop.TABLE_FULL;
        }
    }

    private Drop requestIn(long ti, byte[] body, long now) {
        DupTable.Outcome d = dupD.admit(ti, now);
        if (d == DupTable.Outcome.FULL) {
            return Drop.TABLE_FULL;
        }
        io.send(header(ti, ServiceKind.END_TO_END, PacketKind.ACK, Header.CF), new byte[0]);
        if (d == DupTable.Outcome.DUPLICATE) {
            io.counters().duplicate();
            return null;
        }
        byte[] answer = io.answer(body);
        Header h = header(ti, ServiceKind.END_TO_END, PacketKind.MESSAGE, Header.CF);
        retries.start(new RetryTable.Entry(TAG_DRESP | ti, () -> io.send(h, answer),
                () -> io.counters().expired("retry"), 1 + o.finiteRetries(), true, o.retryInitial(), o.retryCap()), now);
        return null;
    }

    private Drop response(long ti, byte[] body) {
        io.send(header(ti, ServiceKind.END_TO_END, PacketKind.ACK, 0), new byte[0]);
        Pending p = requests.remove(ti);
        retries.remove(TAG_DREQ | ti);
        if (p == null) {
            io.counters().duplicate();
        } else {
            p.future.complete(body);
        }
        return null;
    }

    /** Sends the kind C status owed: at a read batch end only when due, on the timer whenever owed. */
    void flushStatus(long now, boolean batchEnd) {
        if (!(batchEnd ? seqIn.statusDue(now) : seqIn.statusOwed(now))) {
            return;
        }
        boolean[] needs = new boolean[1];
        boolean[] all = new boolean[1];
        List<SeqStatus.Entry> e = seqIn.entries(needs, all, now);
        Header h = header(seqIn.lastDeliveredTi(), ServiceKind.SEQUENCE, needs[0] ? PacketKind.RESEND : PacketKind.ACK,
                Header.CF | (all[0] ? Header.AF : 0)).withOrder(seqIn.cumulative(), 0, 1);
        io.send(h, SeqStatus.encode(e));
    }

    /** Timers: retries, repeats, probes, request deadlines, escrow. */
    void tick(long now) {
        long before = retries.retransmissions();
        retries.tick(now);
        for (long i = before; i < retries.retransmissions(); i++) {
            io.counters().retransmit();
        }
        seqOut.tick(now);
        List<Pending> late = null;
        for (Iterator<Map.Entry<Long, Pending>> it = requests.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Pending> e = it.next();
            if (now - e.getValue().deadline >= 0) {
                it.remove();
                retries.remove(TAG_DREQ | e.getKey());
                io.counters().expired("request");
                if (late == null) {
                    late = new ArrayList<>();
                }
                late.add(e.getValue());
            }
        }
        long dupExpired = dupB.expired() + dupD.expired();
        dupB.purge(now);
        dupD.purge(now);
        for (long i = dupExpired; i < dupB.expired() + dupD.expired(); i++) {
            io.counters().expired("dupdet");
        }
        long escrow = seqIn.escrowExpiries();
        flushStatus(now, false);
        if (seqIn.escrowExpiries() > escrow) {
            io.counters().expired("escrow");
        }
        if (late != null) {
            for (Pending p : late) {
                p.future.completeExceptionally(new TimeoutException("no response within the request timeout"));
            }
        }
    }

    /** Ends everything (session replaced or stopped). */
    void close() {
        retries.clear();
        seqOut.clear();
        for (Pending p : requests.values()) {
            p.future.completeExceptionally(new IllegalStateException("session ended"));
        }
        requests.clear();
    }

    SeqSender seqOut() {
        return seqOut;
    }

    SeqReceiver seqIn() {
        return seqIn;
    }

    int openTransactions() {
        return retries.size() + requests.size();
    }
}

package dev.ferry.bridge.bus;

import dev.ferry.bridge.line.LineTiming;
import dev.ferry.rp.Decoded;
import dev.ferry.rp.Message;
import dev.ferry.serial.frame.Frame;
import dev.ferry.serial.frame.FrameCounters;
import dev.ferry.serial.frame.FrameDecoder;
import dev.ferry.serial.frame.FrameEncoder;
import dev.ferry.serial.header.BinaryHeaderCodec;
import dev.ferry.serial.header.HeaderCodec;
import dev.ferry.serial.header.TextHeaderCodec;
import dev.ferry.serial.link.Control;
import dev.ferry.serial.link.LinkParams;
import dev.ferry.serial.link.PrimaryStation;
import dev.ferry.serial.segment.Segmenter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The bus schedule, one turn at a time, over a {@link LinePort} it is handed (the caller owns
 * opening and closing). No threads of its own: {@link BusMaster} calls {@link #step} in a loop,
 * small tests call it directly with a fake port and clock.
 *
 * <p>Fairness: stations are taken round-robin, each at most once per cycle, and a turn carries at
 * most the station's window of I-frames, so a chatty station cannot starve the others. A DOWN
 * station is skipped until its re-probe time and its probe (one SNRM, T1 sized for a UA) is one
 * short turn in the cycle.
 */
final class Poller {
    /** Longest wait when nothing is due. */
    static final long MAX_IDLE_WAIT_NANOS = 50_000_000L;
    /** A transmission after this much silence starts with a 00 that closes off line noise. */
    static final long IDLE_GAP_NANOS = 2_000_000L;
    static final int BROADCAST_ADDRESS = 0xFF;

    private final BusConfig config;
    private final BusClock clock;
    private final List<StationSlot> slots = new ArrayList<>();
    private final FrameEncoder encoder;
    private final FrameDecoder decoder;
    private final FrameCounters frameCounters = new FrameCounters();
    private final HeaderCodec textCodec = new TextHeaderCodec();
    private final HeaderCodec binaryCodec = new BinaryHeaderCodec();
    private final BlockingQueue<Message> broadcasts = new ArrayBlockingQueue<>(16);
    private final Consumer<Decoded<Frame>> onFrame = this::onFrame;
    private final byte[] readBuffer = new byte[1024];

    final AtomicLong bytesIn = new AtomicLong();
    final AtomicLong bytesOut = new AtomicLong();
    final AtomicLong framesForeign = new AtomicLong();
    final AtomicLong turns = new AtomicLong();
    final AtomicLong broadcastsSent = new AtomicLong();
    final AtomicLong broadcastsDropped = new AtomicLong();

    private int last = -1;
    private long lastActivity = Long.MIN_VALUE;
    private boolean fresh = true;
    private StationSlot current;
    private int turnIFramesSent;
    private int turnIFramesReceived;

    Poller(BusConfig config, BusClock clock) {
        this.config = config;
        this.clock = clock;
        this.encoder = new FrameEncoder(config.hostParams().frameSize());
        this.decoder = new FrameDecoder(config.hostParams().frameSize(), frameCounters);
    }

    void add(StationSlot slot) {
        for (StationSlot s : slots) {
            if (s.address() == slot.address()) {
                throw new IllegalArgumentException("two stations with address " + slot.address());
            }
        }
        slots.add(slot);
    }

    List<StationSlot> slots() {
        return slots;
    }

    FrameCounters frameCounters() {
        return frameCounters;
    }

    /** Queues a UI message for every station (address FF); false if too large or the queue is full. */
    boolean broadcast(Message m) {
        if (textCodec.encode(m).length > Segmenter.partSize(config.hostParams().frameSize())) {
            return false;
        }
        return broadcasts.offer(m);
    }

    /**
     * Sends pending broadcasts, then takes one turn with the next eligible station.
     *
     * @return false if no station was eligible (the caller may wait {@link #idleWaitNanos})
     * @throws IOException from the port: the line is unusable
     */
    boolean step(LinePort port) throws IOException {
        sendBroadcasts(port);
        long now = clock.nanoTime();
        int n = slots.size();
        for (int i = 1; i <= n; i++) {
            int idx = (last + i) % n;
            StationSlot s = slots.get(idx);
            if (eligible(s, now)) {
                last = idx;
                turn(port, s, now);
                return true;
            }
        }
        return false;
    }

    private boolean eligible(StationSlot s, long now) {
        PrimaryStation st = s.station();
        if (!st.isDue(now)) {
            return false;
        }
        if (config.idlePollNanos() == 0 || st.state() != PrimaryStation.State.CONNECTED) {
            return true;
        }
        return st.hasWork() || s.client().hasOutbound() || now - s.nextIdlePollAt() >= 0;
    }

    /** How long nothing will be eligible (bounded by {@link #MAX_IDLE_WAIT_NANOS}). */
    long idleWaitNanos(long now) {
        long wait = MAX_IDLE_WAIT_NANOS;
        for (StationSlot s : slots) {
            PrimaryStation st = s.station();
            long at = st.state() == PrimaryStation.State.DOWN ? st.reprobeAt() : s.nextIdlePollAt();
            wait = Math.min(wait, Math.max(0, at - now));
        }
        return Math.max(wait, 100_000L);
    }

    private void turn(LinePort port, StationSlot s, long now) throws IOException {
        PrimaryStation st = s.station();
        boolean setup = st.state() != PrimaryStation.State.CONNECTED;
        if (setup) {
            s.client().onSetupAttempt(now);
        } else {
            s.topUp(config.stationQueue());
            int window = st.negotiated().map(LinkParams::window).orElse(1);
            st.setBusy(s.client().inboundBusy(window));
        }
        List<Frame> frames = st.startTurn(now);
        s.turnStarted(frames, setup);
        byte[] bytes = encode(frames, now);
        turns.incrementAndGet();
        turnIFramesSent = 0;
        turnIFramesReceived = 0;
        for (Frame f : frames) {
            if (Control.decode(f.control()).kind() == Control.Kind.I) {
                turnIFramesSent++;
            }
        }
        int frameSize = setup ? ResponseTimeout.UA_FRAME_SIZE
                : st.negotiated().map(LinkParams::frameSize).orElse(config.hostParams().frameSize());
        int window = setup ? 1 : st.negotiated().map(LinkParams::window).orElse(1);
        long margin = s.turnaround().marginNanos(config.turnaroundNanos(), !setup);
        long t1 = ResponseTimeout.nanos(config, bytes.length, window, frameSize, margin);
        long gap = ResponseTimeout.nanos(config, 0, 1, frameSize, margin);
        drainLateBytes(port);
        current = s;
        try {
            long writeStartedAt = clock.nanoTime();
            write(port, bytes);
            long wireEnd = writeStartedAt + LineTiming.nanosFor(bytes.length, config.baud(), config.bitsPerCharacter());
            awaitResponse(port, s, t1, gap, AnswerWait.earliestNanos(config, writeStartedAt, bytes.length), wireEnd);
        } finally {
            current = null;
        }
        long end = clock.nanoTime();
        s.syncAcks();
        boolean up = st.state() == PrimaryStation.State.CONNECTED;
        if (!setup && up && drained(window) && !st.hasWork()) {
            boolean spoke = turnIFramesReceived > 0 || turnIFramesSent > 0;
            s.pollAgainAt(end + s.idleGap(spoke, config.idlePollNanos(), config.idleGapMaxNanos()));
        } else {
            s.pollAgainAt(end);
        }
        s.client().afterTurn(setup, up, end);
    }

    /**
     * Whether the station is idle after this turn: it sent less than a full window, so it has
     * nothing more queued, and it is not still working on what we sent it (we sent nothing, or
     * it already answered in this turn). Its frames are then acknowledged by the next poll after
     * the idle gap, or piggybacked on our next request, which then finds the line quiet, instead
     * of by an extra turn at once that a request arriving now would have to wait behind.
     */
    private boolean drained(int window) {
        return turnIFramesReceived < window && (turnIFramesSent == 0 || turnIFramesReceived > 0);
    }

    /**
     * Reads until the turn ends (F = 1) or T1 passes. While bytes keep arriving the deadline
     * moves to the last byte + {@code gap} (one frame's wire time + the margin), so a response
     * that started late is not cut off mid-frame; never beyond 2 x T1. The first bytes are
     * awaited as {@link AnswerWait} says (no answer can be there before {@code earliest}).
     */
    private void awaitResponse(LinePort port, StationSlot slot, long t1, long gap, long earliest, long wireEnd)
            throws IOException {
        PrimaryStation st = slot.station();
        long start = st.turnStartedAt();
        long deadline = start + t1;
        long cap = start + 2 * t1;
        boolean first = true;
        boolean sampled = false;
        while (st.isAwaitingResponse()) {
            long now = clock.nanoTime();
            long left = deadline - now;
            if (left <= 0) {
                boolean connected = st.state() == PrimaryStation.State.CONNECTED;
                st.timeout(now);
                if (connected) {
                    slot.turnaround().timedOut();
                }
                awaitQuiet(port, gap, now + t1, sampled ? null : slot, wireEnd);
                return;
            }
            int got;
            if (first) {
                first = false;
                got = AnswerWait.firstBytes(port, clock, readBuffer, earliest, deadline);
            } else {
                int ms = (int) Math.max(1, Math.min(config.readSliceMs(), (left + 999_999) / 1_000_000));
                got = port.read(readBuffer, 0, readBuffer.length, ms);
            }
            if (got > 0) {
                bytesIn.addAndGet(got);
                lastActivity = clock.nanoTime();
                if (!sampled) {
                    sampled = true;
                    slot.turnaround().sample(lastActivity - wireEnd);
                }
                decoder.feed(readBuffer, 0, got, onFrame);
                long extended = Math.min(cap, lastActivity + gap);
                if (extended - deadline > 0) {
                    deadline = extended;
                }
            }
        }
    }

    /**
     * After a timeout the station may still be answering the poll we gave up on. Polling again
     * at once would let that old answer's final frame end the new turn, and the bus would stay one
     * answer behind, every window crossing the line twice. So wait until the line has been quiet
     * for {@code gap} (one frame's wire time + margin), never past {@code cap}; what arrives is
     * decoded as outside any turn (counted, ignored).
     */
    private void awaitQuiet(LinePort port, long gap, long cap, StationSlot late, long wireEnd) throws IOException {
        long quietUntil = clock.nanoTime() + gap;
        StationSlot unsampled = late;
        while (true) {
            long now = clock.nanoTime();
            long left = Math.min(quietUntil, cap) - now;
            if (left <= 0) {
                return;
            }
            int ms = (int) Math.max(1, Math.min(config.readSliceMs(), (left + 999_999) / 1_000_000));
            int got = port.read(readBuffer, 0, readBuffer.length, ms);
            if (got > 0) {
                bytesIn.addAndGet(got);
                lastActivity = clock.nanoTime();
                if (unsampled != null) {                     // the answer came, but late: learn from it
                    unsampled.turnaround().sample(lastActivity - wireEnd);
                    unsampled = null;
                }
                decoder.feed(readBuffer, 0, got, onFrame);
                quietUntil = lastActivity + gap;
            }
        }
    }

    /** Bytes that arrived between turns are decoded as outside any turn (counted, ignored). */
    private void drainLateBytes(LinePort port) throws IOException {
        int got;
        for (int i = 0; i < 8 && (got = port.read(readBuffer, 0, readBuffer.length, 0)) > 0; i++) {
            bytesIn.addAndGet(got);
            decoder.feed(readBuffer, 0, got, onFrame);
        }
    }

    private void onFrame(Decoded<Frame> d) {
        if (!d.isOk()) {
            return;                                          // counted by the decoder
        }
        Frame f = d.value();
        StationSlot s = current;
        if (s == null || f.address() != s.address() || !s.station().isAwaitingResponse()) {
            framesForeign.incrementAndGet();
            return;
        }
        Control c = Control.decode(f.control());
        if (c.kind() == Control.Kind.I) {
            turnIFramesReceived++;
        }
        s.frameReceived(c);
        s.station().receive(f, clock.nanoTime());
    }

    private byte[] encode(List<Frame> frames, long now) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (fresh || now - lastActivity > IDLE_GAP_NANOS) {
            out.write(0);
        }
        for (Frame f : frames) {
            out.writeBytes(encoder.encode(f));
        }
        return out.toByteArray();
    }

    private void write(LinePort port, byte[] bytes) throws IOException {
        port.write(bytes, 0, bytes.length);
        bytesOut.addAndGet(bytes.length);
        fresh = false;
        lastActivity = clock.nanoTime();
    }

    private void sendBroadcasts(LinePort port) throws IOException {
        Message m;
        while ((m = broadcasts.poll()) != null) {
            byte[] msg = broadcastCodec().encode(m);
            if (msg.length > Segmenter.partSize(smallestFrameSize())) {
                broadcastsDropped.incrementAndGet();
                continue;
            }
            byte[] info = new byte[msg.length + 1];
            info[0] = (byte) Segmenter.FIRST;
            System.arraycopy(msg, 0, info, 1, msg.length);
            Frame f = new Frame(BROADCAST_ADDRESS, Control.u(Control.Unnumbered.UI, false).encode(), info);
            write(port, encode(List.of(f), clock.nanoTime()));
            broadcastsSent.incrementAndGet();
        }
    }

    /**
     * Broadcasts are read by every station, so they are written in the lowest version any
     * connected station speaks (version 1 when none is connected; a station built without
     * version 1 then ignores them, counted as a decode error on its side).
     */
    private HeaderCodec broadcastCodec() {
        int v = 2;
        boolean any = false;
        for (StationSlot s : slots) {
            int sv = s.station().version();
            if (sv > 0) {
                v = Math.min(v, sv);
                any = true;
            }
        }
        return any && v == 2 ? binaryCodec : textCodec;
    }

    private int smallestFrameSize() {
        int n = config.hostParams().frameSize();
        for (StationSlot s : slots) {
            n = Math.min(n, s.station().negotiated().map(LinkParams::frameSize).orElse(n));
        }
        return n;
    }

    /** The line failed: every station loses its link and will be set up again. */
    void lineLost(String reason) {
        decoder.reset();
        fresh = true;
        for (StationSlot s : slots) {
            s.lineLost(reason);
        }
    }

    /** Sum of the stations' link figures. */
    LinkStats totals() {
        LinkStats t = LinkStats.ZERO;
        for (StationSlot s : slots) {
            t = t.plus(s.stats());
        }
        return t;
    }
}

package dev.ferry.bridge.bus;

import dev.ferry.bridge.line.LineTiming;
import dev.ferry.rp.Decoded;
import dev.ferry.rp.Message;
import dev.ferry.serial.frame.Frame;
import dev.ferry.serial.frame.FrameCounters;
import dev.ferry.serial.link.Control;
import dev.ferry.serial.link.LinkParams;
import dev.ferry.serial.link.PrimaryStation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.tinylog.Logger;

/**
 * The bus schedule, one turn at a time, over a {@link LinePort} it is handed (the caller owns
 * opening and closing). No threads of its own: {@link BusMaster} calls {@link #step} in a loop,
 * small tests call it directly with a fake port and clock.
 *
 * <pre>
 *   step:  broadcasts waiting?  send them (UI to FF)
 *          a broken UP chain left stations waiting?  a UP naming them (it clears every wait)
 *          next eligible station, round-robin:
 *            it and the due stations after it may join a UP (idle, version 2.1)?  one UP for them
 *            else its own turn: startTurn frames -> write -> read until F = 1 or T1
 * </pre>
 *
 * <p>Fairness: stations are taken round-robin, each at most once per cycle, and a turn carries at
 * most the station's window of I-frames, so a chatty station cannot starve the others. Idle
 * stations between two stations with work are polled together by one UP (PROTOCOL.md 3.8), so
 * they cost the cycle one host turnaround, not one each. A DOWN station is skipped until its
 * re-probe time and its probe (one SNRM, T1 sized for a UA) is one short turn in the cycle.
 */
final class Poller {
    /**
     * Stations that missed their cue in a UP and then answered a poll of their own, this many
     * times in a row with no whole UP between: they do not hear each other (a four-wire bus, or
     * transceivers that cannot listen), and UP is off for the line.
     */
    static final int UP_MISSED_CUES_OFF = 3;
    /** Longest wait when nothing is due. */
    static final long MAX_IDLE_WAIT_NANOS = 50_000_000L;

    private final String name;
    private final BusConfig config;
    private final BusClock clock;
    private final List<StationSlot> slots = new ArrayList<>();
    private final LineIo io;
    private final Answers answers;
    private final Broadcasts broadcasts;

    final AtomicLong bytesIn;
    final AtomicLong bytesOut;
    final AtomicLong framesForeign = new AtomicLong();
    final AtomicLong turns = new AtomicLong();
    final AtomicLong broadcastsSent;
    final AtomicLong upPolls = new AtomicLong();

    private int last = -1;
    private StationSlot current;
    private UpPoll chain;
    /** Stations a broken UP chain left waiting: the next transmission is a UP naming them. */
    private List<StationSlot> upRest = List.of();
    private int turnIFramesSent;
    private int missedCues;
    private boolean upOff;
    private int turnIFramesReceived;

    Poller(BusConfig config, BusClock clock) {
        this("bus", config, clock);
    }

    /** {@code name} is the bus's, for the log. */
    Poller(String name, BusConfig config, BusClock clock) {
        this.name = name;
        this.config = config;
        this.clock = clock;
        this.io = new LineIo(config, clock, this::onFrame);
        this.answers = new Answers(io, clock);
        this.broadcasts = new Broadcasts(config);
        this.bytesIn = io.bytesIn;
        this.bytesOut = io.bytesOut;
        this.broadcastsSent = broadcasts.sent;
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
        return io.frameCounters();
    }

    /** Queues a UI message for every station (address FF); false if too large or the queue is full. */
    boolean broadcast(Message m) {
        return broadcasts.offer(m);
    }

    /**
     * Sends pending broadcasts, then takes one turn with the next eligible station.
     *
     * @return false if no station was eligible (the caller may wait {@link #idleWaitNanos})
     * @throws IOException from the port: the line is unusable
     */
    boolean step(LinePort port) throws IOException {
        broadcasts.send(port, io, clock, slots);
        long now = clock.nanoTime();
        if (!upRest.isEmpty()) {
            List<StationSlot> rest = new ArrayList<>();
            for (StationSlot s : upRest) {
                if (joinsUp(s)) {
                    rest.add(s);
                }
            }
            upRest = List.of();
            upTurn(port, UpPoll.order(rest), now);          // also clears the stale waits of the others
            return true;
        }
        int n = slots.size();
        for (int i = 1; i <= n; i++) {
            int idx = (last + i) % n;
            StationSlot s = slots.get(idx);
            if (eligible(s, now)) {
                List<StationSlot> run = upRun(idx, now);
                if (run.size() >= 2) {
                    // order() takes a prefix of the run (as many as one frame lists): the round
                    // robin goes on after the last of those, or the rest would never be polled
                    List<StationSlot> group = UpPoll.order(run);
                    last = slots.indexOf(run.get(group.size() - 1));
                    upTurn(port, group, now);
                } else {
                    last = idx;
                    turn(port, s, now);
                }
                return true;
            }
        }
        return false;
    }

    /**
     * Idle stations polled together (PROTOCOL.md 3.8): from the eligible station at {@code from},
     * the due stations that may join a UP, in round-robin order, up to the next due station that
     * may not (it has work: its own turn comes next, so a UP never makes a station wait longer
     * than one turn of the others). Empty when the station at {@code from} may not join.
     */
    private List<StationSlot> upRun(int from, long now) {
        List<StationSlot> run = new ArrayList<>();
        int n = slots.size();
        for (int i = 0; i < n; i++) {
            StationSlot s = slots.get((from + i) % n);
            if (i > 0 && !eligible(s, now)) {
                continue;
            }
            if (!joinsUp(s)) {
                break;
            }
            run.add(s);
        }
        return run;
    }

    /** True if a UP may poll the station now (connected on 2.1, nothing to send or acknowledge). */
    private boolean joinsUp(StationSlot s) {
        PrimaryStation st = s.station();
        if (upOff || s.missedUpCue() || st.state() != PrimaryStation.State.CONNECTED || s.client().hasOutbound()) {
            return false;
        }
        st.setBusy(s.client().inboundBusy(st.negotiated().map(LinkParams::window).orElse(1)));
        return st.mayJoinUp();
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
        byte[] bytes = io.encode(frames, now);
        long timeoutsBefore = st.counters().timeouts();
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
        io.drainLate(port);
        current = s;
        try {
            long writeStartedAt = clock.nanoTime();
            io.write(port, bytes);
            long wireEnd = writeStartedAt + LineTiming.nanosFor(bytes.length, config.baud(), config.bitsPerCharacter());
            answers.awaitResponse(port, s, t1, gap, AnswerWait.earliestNanos(config, writeStartedAt, bytes.length), wireEnd);
        } finally {
            current = null;
        }
        if (setup) {
            s.missedUpCue(false);                            // a new link: it gets another chance
        } else if (s.missedUpCue() && st.counters().timeouts() == timeoutsBefore
                && st.state() == PrimaryStation.State.CONNECTED) {
            s.missedUpCue(false);                            // alive: it did not hear the one before it
            cueMissed(s);
        }
        finish(s, setup, window, turnIFramesSent, turnIFramesReceived, clock.nanoTime());
    }

    /**
     * A station answered its own poll after missing its cue in a UP. Once it is
     * {@link #UP_MISSED_CUES_OFF} in a row, the stations on this line do not hear each other:
     * UP is off for good (until the bus master restarts), every station polled on its own.
     */
    private void cueMissed(StationSlot s) {
        if (++missedCues >= UP_MISSED_CUES_OFF && !upOff) {
            upOff = true;
            Logger.warn("bus {}: stations did not answer in their place in a UP although alive ({} times in a row, "
                    + "the last station {}): they do not hear each other; polling each on its own from now on",
                    name, missedCues, s.address());
        }
    }

    /** True once UP was turned off for this line ({@link #cueMissed}). */
    boolean unnumberedPollOff() {
        return upOff;
    }

    /**
     * One unnumbered poll: the UP frame, then each listed station's answer in turn (see
     * {@link UpPoll}). Counts one turn per station listed.
     */
    private void upTurn(LinePort port, List<StationSlot> group, long now) throws IOException {
        UpPoll up = new UpPoll(config, group);
        for (StationSlot s : group) {
            s.station().startUpTurn(now);
            s.turnStarted(List.of(), false);
        }
        byte[] bytes = io.encode(List.of(up.frame()), now);
        turns.addAndGet(group.size());
        upPolls.incrementAndGet();
        io.drainLate(port);
        chain = up;
        try {
            long writeStartedAt = clock.nanoTime();
            io.write(port, bytes);
            long wireEnd = writeStartedAt + LineTiming.nanosFor(bytes.length, config.baud(), config.bitsPerCharacter());
            up.begin(writeStartedAt, bytes.length);
            answers.awaitChain(port, up, AnswerWait.earliestNanos(config, writeStartedAt, bytes.length), wireEnd);
        } finally {
            chain = null;
        }
        long end = clock.nanoTime();
        for (StationSlot s : group) {
            if (up.unpolled().contains(s)) {
                s.pollAgainAt(end);
            } else {
                int window = s.station().negotiated().map(LinkParams::window).orElse(1);
                finish(s, false, window, 0, up.iFrames(s), end);
            }
        }
        upRest = List.copyOf(up.unpolled());
        if (up.whole() && group.size() >= 2) {
            missedCues = 0;                                  // they do hear each other
        }
    }

    /** After a turn: acknowledged messages forgotten, the next poll scheduled, the client told. */
    private void finish(StationSlot s, boolean setup, int window, int iSent, int iReceived, long end) {
        PrimaryStation st = s.station();
        s.syncAcks();
        boolean up = st.state() == PrimaryStation.State.CONNECTED;
        if (!setup && up && drained(window, iSent, iReceived) && !st.hasWork()) {
            boolean spoke = iReceived > 0 || iSent > 0;
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
    private static boolean drained(int window, int iSent, int iReceived) {
        return iReceived < window && (iSent == 0 || iReceived > 0);
    }

    private void onFrame(Decoded<Frame> d) {
        if (!d.isOk()) {
            return;                                          // counted by the decoder
        }
        Frame f = d.value();
        if (chain != null) {
            onChainFrame(f);
            return;
        }
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

    /** A frame heard during a UP: it belongs to the station answering now, or one further down. */
    private void onChainFrame(Frame f) {
        long now = clock.nanoTime();
        StationSlot s = chain.route(f.address(), now);
        if (s == null) {
            framesForeign.incrementAndGet();
            return;
        }
        Control c = Control.decode(f.control());
        if (c.kind() == Control.Kind.I) {
            chain.countIFrame();
        }
        s.frameReceived(c);
        s.station().receive(f, now);
        if (!s.station().isAwaitingResponse()) {
            chain.answered(now);
        }
    }

    /** The line failed: every station loses its link and will be set up again. */
    void lineLost(String reason) {
        io.lost();
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

package dev.ferry.bridge.bus;

import dev.ferry.serial.link.PrimaryStation;
import java.io.IOException;

/**
 * Waiting for a turn's answers on the line: how long a poll's answer may take (T1, extended while
 * bytes keep arriving), and how a UP chain's answers are read until every listed station spoke or
 * the line went quiet. What the frames mean is the {@link Poller}'s business (they reach it through
 * {@link LineIo}'s sink); this class only decides how long to read.
 */
final class Answers {
    private final LineIo io;
    private final BusClock clock;

    Answers(LineIo io, BusClock clock) {
        this.io = io;
        this.clock = clock;
    }

    /**
     * Reads the answers of a UP chain until every station answered, or, after a station stayed
     * silent past its T1, until the line has been quiet long enough that no more will come
     * ({@link UpPoll#expire}).
     */
    void awaitChain(LinePort port, UpPoll up, long earliest, long wireEnd) throws IOException {
        boolean first = true;
        while (up.waiting()) {
            long now = clock.nanoTime();
            long left = up.deadline() - now;
            if (left <= 0) {
                up.expire(now);                              // a timeout, or a broken chain given up
                continue;
            }
            int got;
            if (first) {
                first = false;
                got = io.firstBytes(port, earliest, up.deadline());
                if (got > 0 && up.atFirst()) {
                    up.current().turnaround().sample(io.lastActivity() - wireEnd);
                }
            } else {
                got = io.read(port, left);
            }
            if (got > 0 && up.waiting()) {
                up.activity(io.lastActivity());
            }
        }
    }

    /**
     * Reads until the turn ends (F = 1) or T1 passes. While bytes keep arriving the deadline
     * moves to the last byte + {@code gap} (one frame's wire time + the margin), so a response
     * that started late is not cut off mid-frame; never beyond 2 x T1. The first bytes are
     * awaited as {@link AnswerWait} says (no answer can be there before {@code earliest}).
     */
    void awaitResponse(LinePort port, StationSlot slot, long t1, long gap, long earliest, long wireEnd)
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
                // the answer may come late: learn the station's turnaround from it
                io.awaitQuiet(port, gap, now + t1, sampled ? null : at -> slot.turnaround().sample(at - wireEnd));
                return;
            }
            int got;
            if (first) {
                first = false;
                got = io.firstBytes(port, earliest, deadline);
            } else {
                got = io.read(port, left);
            }
            if (got > 0) {
                if (!sampled) {
                    sampled = true;
                    slot.turnaround().sample(io.lastActivity() - wireEnd);
                }
                long extended = Math.min(cap, io.lastActivity() + gap);
                if (extended - deadline > 0) {
                    deadline = extended;
                }
            }
        }
    }
}

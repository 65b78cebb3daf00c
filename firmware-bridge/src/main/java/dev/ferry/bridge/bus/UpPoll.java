package dev.ferry.bridge.bus;

import dev.ferry.serial.frame.Frame;
import dev.ferry.serial.link.Control;
import dev.ferry.serial.link.LinkParams;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One unnumbered poll (UP, PROTOCOL.md 3.8): idle stations polled by one frame, answering one
 * after the other, so that a station with nothing to say costs one byte of the host's
 * transmission and no host turnaround of its own.
 *
 * <pre>
 *   host     UP(P) to FF: a1 a2 a3                      (6 B + one per station)
 *   a1                      answer .. F
 *   a2                                  answer .. F      (a2 starts when it hears a1's final frame)
 *   a3                                              answer .. F
 * </pre>
 *
 * <p>Each station has its own T1, from the end of the answer before it (the first: from our
 * transmission, as in any turn). A station silent past its T1 counts a timeout, and the chain may
 * be broken: the stations after it wait for its final frame. So the bus keeps listening until the
 * line has been quiet for one frame time and margin: if the station was only late, its answer
 * and the rest of the chain still come and are taken as usual; if the line stays quiet, the
 * stations after it never got their turn, theirs is cancelled (nothing counted), and
 * {@link #unpolled()} names them for the next transmission, a UP that also clears their wait.
 * Either way nothing is sent while a station may still be answering. A frame from a station
 * further down the list means the ones before it were not heard (their final frame was lost at
 * the host): they time out and the chain goes on. Bus thread only.
 */
final class UpPoll {
    private final BusConfig config;
    private final List<StationSlot> order;
    private final int[] iFrames;
    private int cur;
    /** The station before the current one ended its answer (its final frame was heard). */
    private boolean cueGiven;
    private boolean whole = true;
    /** The station that timed out although its cue was given; null when none or it spoke since. */
    private StationSlot missed;
    private long deadline;
    private long cap;
    /** A station timed out: waiting for the line to be quiet before the rest is given up. */
    private boolean broken;
    private long quiet;
    private final List<StationSlot> unpolled = new ArrayList<>();

    /** The chain, in answer order. */
    UpPoll(BusConfig config, List<StationSlot> order) {
        this.config = config;
        this.order = List.copyOf(order);
        this.iFrames = new int[order.size()];
    }

    /**
     * The stations to poll together from {@code run} (due stations that may join, in the bus's
     * round-robin order): at most as many as the smallest frame size among them can list, put in
     * order of frame size, so that each can decode the frames of the one before it.
     */
    static List<StationSlot> order(List<StationSlot> run) {
        int max = Integer.MAX_VALUE;
        List<StationSlot> g = new ArrayList<>();
        for (StationSlot s : run) {
            max = Math.min(max, frameSize(s) - 4);
            if (g.size() >= max) {
                break;
            }
            g.add(s);
        }
        while (g.size() > max) {
            g.remove(g.size() - 1);
        }
        g.sort(Comparator.comparingInt(UpPoll::frameSize).thenComparingInt(StationSlot::address));
        return g;
    }

    private static int frameSize(StationSlot s) {
        return s.station().negotiated().map(LinkParams::frameSize).orElse(LinkParams.MIN_FRAME_SIZE);
    }

    private static int window(StationSlot s) {
        return s.station().negotiated().map(LinkParams::window).orElse(1);
    }

    /** The UP frame naming the stations (an empty list polls no one and only clears waits). */
    Frame frame() {
        byte[] list = new byte[order.size()];
        for (int i = 0; i < list.length; i++) {
            list[i] = (byte) order.get(i).address();
        }
        return new Frame(Broadcasts.ADDRESS, Control.u(Control.Unnumbered.UP, true).encode(), list);
    }

    List<StationSlot> order() {
        return order;
    }

    /** Our transmission of {@code bytes} started at {@code at}: the first station's T1 runs. */
    void begin(long at, int bytes) {
        if (!order.isEmpty()) {
            arm(at, bytes);
        }
    }

    private void arm(long at, int bytesSent) {
        StationSlot s = order.get(cur);
        long t1 = ResponseTimeout.nanos(config, bytesSent, window(s), frameSize(s),
                s.turnaround().marginNanos(config.turnaroundNanos(), true));
        deadline = at + t1;
        cap = at + 2 * t1;
        broken = false;
    }

    /** One frame's wire time and the station's margin: how long the line must stay quiet. */
    private long quietGap(StationSlot s) {
        return ResponseTimeout.nanos(config, 0, 1, frameSize(s), s.turnaround().marginNanos(config.turnaroundNanos(), true));
    }

    /** True while a station is still to answer, or the line must still fall quiet after a timeout. */
    boolean waiting() {
        return cur < order.size() || broken;
    }

    /** The station answering now (only while {@link #waiting()}). */
    StationSlot current() {
        return order.get(cur);
    }

    /** True if the station answering now is the first of the chain. */
    boolean atFirst() {
        return cur == 0;
    }

    long deadline() {
        return deadline;
    }

    /**
     * Bytes arrived at {@code at}: a station is answering; wait at least one frame more (never past
     * 2 x T1 while the chain is whole; while it is broken, as long as the line is busy).
     */
    void activity(long at) {
        long extended = broken ? at + quiet : Math.min(cap, at + quietGap(order.get(cur)));
        if (extended - deadline > 0) {
            deadline = extended;
        }
    }

    /** True while a station timed out and the rest of the chain may still come. */
    boolean broken() {
        return broken;
    }

    /**
     * The station a frame from {@code address} belongs to, or null if it is none still to answer
     * (foreign). Stations listed before it whose final frame never came time out here.
     */
    StationSlot route(int address, long now) {
        if (missed != null && missed.address() == address) {
            missed.missedUpCue(false);                       // it heard its cue, only late (timed out)
            missed = null;
            return null;
        }
        for (int j = cur; j < order.size(); j++) {
            if (order.get(j).address() == address) {
                while (cur < j) {
                    timeOut(now);
                }
                return order.get(cur);
            }
        }
        return null;
    }

    /** An I-frame of the current station arrived. */
    void countIFrame() {
        iFrames[cur]++;
    }

    /** I-frames the station sent in this chain. */
    int iFrames(StationSlot s) {
        return iFrames[order.indexOf(s)];
    }

    /** The current station's turn ended (its F = 1 frame, or a DM that took its link) at {@code now}. */
    void answered(long now) {
        cur++;
        cueGiven = true;
        broken = false;                                      // the chain goes on (or ended whole)
        if (cur < order.size()) {
            arm(now, 0);
        }
    }

    /**
     * The deadline passed. While the chain was whole, the current station stayed silent past its
     * T1: it times out, and the bus listens on until the line is quiet (the chain is broken). If
     * it was already broken, the line stayed quiet: the stations still to answer never will (they
     * wait for a final frame that will not come); their turns are cancelled.
     */
    void expire(long now) {
        if (!broken) {
            StationSlot silent = order.get(cur);
            if (cur > 0 && cueGiven) {
                silent.missedUpCue(true);                    // we heard its cue; did it?
                missed = silent;
            }
            timeOut(now);
            broken = true;
            quiet = quietGap(silent);
            deadline = now + quiet;
            return;
        }
        broken = false;
        whole = false;
        while (cur < order.size()) {
            StationSlot s = order.get(cur++);
            s.station().cancelTurn();
            unpolled.add(s);
        }
    }

    private void timeOut(long now) {
        StationSlot s = order.get(cur++);
        cueGiven = false;
        whole = false;
        boolean connected = s.station().state() == dev.ferry.serial.link.PrimaryStation.State.CONNECTED;
        s.station().timeout(now);
        if (connected) {
            s.turnaround().timedOut();
        }
    }

    /** True if every station listed answered in its place (after the chain ended). */
    boolean whole() {
        return whole && cur == order.size();
    }

    /** The stations whose turn was cancelled by a broken chain, in chain order. */
    List<StationSlot> unpolled() {
        return unpolled;
    }
}

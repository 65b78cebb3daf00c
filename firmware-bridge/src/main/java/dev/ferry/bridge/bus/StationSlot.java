package dev.ferry.bridge.bus;

import dev.ferry.rp.DecodeError;
import dev.ferry.rp.Message;
import dev.ferry.serial.frame.Frame;
import dev.ferry.serial.link.Control;
import dev.ferry.serial.link.LinkListener;
import dev.ferry.serial.link.LinkParams;
import dev.ferry.serial.link.PrimaryConfig;
import dev.ferry.serial.link.PrimaryStation;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One address on the bus: its {@link PrimaryStation}, its {@link StationClient}, and the
 * messages handed to the station and not yet acknowledged (so that a station rebuilt after the
 * line vanished sends them again: at-least-once, as across any link reset). Bus thread only,
 * except {@link #stats()}.
 */
final class StationSlot implements LinkListener {
    private final PrimaryConfig config;
    private final StationClient client;
    private final BusClock clock;
    private final Deque<Message> handed = new ArrayDeque<>();
    private volatile PrimaryStation station;
    private volatile LinkStats retired = LinkStats.ZERO;
    private long acked;
    private long nextIdlePollAt;
    private final AtomicLong rnrSent = new AtomicLong();
    private final AtomicLong rnrReceived = new AtomicLong();
    private final AtomicLong iFramesDiscarded = new AtomicLong();
    /** N(R) of the last turn's poll (the host's V(R) then), -1 when unknown (set-up, link reset). */
    private int lastTurnNr = -1;
    private boolean missedUpCue;
    private int iFramesInLastTurn;
    private long idleGap;
    private final TurnaroundEstimate turnaround = new TurnaroundEstimate();

    StationSlot(PrimaryConfig config, StationClient client, BusClock clock) {
        this.config = config;
        this.client = client;
        this.clock = clock;
        this.station = new PrimaryStation(config, this);
    }

    int address() {
        return config.address();
    }

    PrimaryStation station() {
        return station;
    }

    StationClient client() {
        return client;
    }

    long nextIdlePollAt() {
        return nextIdlePollAt;
    }

    /** The station's measured turnaround, for its T1. */
    TurnaroundEstimate turnaround() {
        return turnaround;
    }

    void pollAgainAt(long at) {
        nextIdlePollAt = at;
    }

    /**
     * True after the station stayed silent at its place in a UP although the station before it
     * had answered (it may not hear the other stations, PROTOCOL.md 3.8): it is polled on its own
     * until it answered such a poll (bus thread).
     */
    boolean missedUpCue() {
        return missedUpCue;
    }

    void missedUpCue(boolean missed) {
        missedUpCue = missed;
    }

    /**
     * The gap before the next idle poll after a turn that left the station idle: the configured
     * gap after the station said something, doubled after each poll it answered with nothing,
     * up to {@code max}.
     */
    long idleGap(boolean stationSpoke, long min, long max) {
        idleGap = stationSpoke || idleGap < min ? min : Math.min(max, idleGap * 2);
        return idleGap;
    }

    /** Hands queued messages to the station until it holds {@code max} waiting ones. */
    void topUp(int max) {
        PrimaryStation st = station;
        st.useResources(client.resourceTable());
        while (st.queued() < max) {
            Message m = client.pollOutbound();
            if (m == null) {
                return;
            }
            if (!st.offer(m)) {                             // cannot happen while queued() < capacity
                throw new IllegalStateException("station queue refused a message below its bound");
            }
            handed.addLast(m);
        }
    }

    /** Forgets messages the station has acknowledged. */
    void syncAcks() {
        long sent = station.counters().messagesSent();
        while (acked < sent && !handed.isEmpty()) {
            handed.removeFirst();
            acked++;
        }
        acked = sent;
    }

    /**
     * The line failed: the link state is gone. Rebuilds the station (it will set the link up
     * again with SNRM), gives it the unacknowledged messages again, and tells the client.
     */
    void lineLost(String reason) {
        syncAcks();
        PrimaryStation old = station;
        retired = retired.plus(LinkStats.of(old.counters()));
        PrimaryStation fresh = new PrimaryStation(config, this);
        for (Message m : handed) {
            if (!fresh.offer(m)) {
                break;                                       // handed never exceeds the queue bound
            }
        }
        acked = 0;
        lastTurnNr = -1;
        missedUpCue = false;
        station = fresh;
        nextIdlePollAt = 0;
        idleGap = 0;
        client.onLinkDown(reason, clock.nanoTime());
    }

    /** Figures over every link to this station. */
    LinkStats stats() {
        return retired.plus(LinkStats.of(station.counters()))
                .withWire(rnrSent.get(), rnrReceived.get(), iFramesDiscarded.get());
    }

    /**
     * A turn starts with {@code frames} (none: the station is polled by a UP, whose implied N(R)
     * is the last one sent). Counts an RNR poll, and settles the last turn: the station's I-frames
     * the host took are the steps its V(R) moved between the two polls' N(R), the rest were
     * discarded (bus thread).
     */
    void turnStarted(List<Frame> frames, boolean setup) {
        int nr = frames.isEmpty() ? lastTurnNr : -1;
        for (Frame f : frames) {
            Control c = Control.decode(f.control());
            if (c.hasNr()) {
                nr = c.nr();
            }
            if (c.is(Control.Supervisory.RNR)) {
                rnrSent.incrementAndGet();
            }
        }
        if (!setup && nr >= 0 && lastTurnNr >= 0) {
            int taken = (nr - lastTurnNr) & 7;
            if (iFramesInLastTurn > taken) {
                iFramesDiscarded.addAndGet(iFramesInLastTurn - taken);
            }
        }
        lastTurnNr = setup ? -1 : nr;
        iFramesInLastTurn = 0;
    }

    /** A frame of this station's arrived in its turn (bus thread). */
    void frameReceived(Control c) {
        if (c.kind() == Control.Kind.I) {
            iFramesInLastTurn++;
        } else if (c.is(Control.Supervisory.RNR)) {
            rnrReceived.incrementAndGet();
        }
    }

    int handedCount() {
        return handed.size();
    }

    @Override
    public void onMessage(int address, Message message) {
        client.onMessage(message, clock.nanoTime());
    }

    @Override
    public void onLinkUp(int address, LinkParams negotiated) {
        lastTurnNr = -1;
        client.onLinkUp(negotiated, clock.nanoTime());
    }

    @Override
    public void onLinkDown(int address, String reason) {
        lastTurnNr = -1;
        client.onLinkDown(reason, clock.nanoTime());
    }

    @Override
    public void onDecodeError(int address, DecodeError error) {
        client.onDecodeError(error);
    }
}

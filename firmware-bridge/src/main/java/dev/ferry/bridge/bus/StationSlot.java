package dev.ferry.bridge.bus;

import dev.ferry.rp.DecodeError;
import dev.ferry.rp.Message;
import dev.ferry.serial.link.LinkListener;
import dev.ferry.serial.link.LinkParams;
import dev.ferry.serial.link.PrimaryConfig;
import dev.ferry.serial.link.PrimaryStation;
import java.util.ArrayDeque;
import java.util.Deque;

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
        station = fresh;
        nextIdlePollAt = 0;
        idleGap = 0;
        client.onLinkDown(reason, clock.nanoTime());
    }

    /** Figures over every link to this station. */
    LinkStats stats() {
        return retired.plus(LinkStats.of(station.counters()));
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
        client.onLinkUp(negotiated, clock.nanoTime());
    }

    @Override
    public void onLinkDown(int address, String reason) {
        client.onLinkDown(reason, clock.nanoTime());
    }

    @Override
    public void onDecodeError(int address, DecodeError error) {
        client.onDecodeError(error);
    }
}

package dev.ferry.bridge.device;

import dev.ferry.bridge.bus.BusConfig;
import dev.ferry.bridge.line.LineOptions;
import dev.ferry.bridge.line.TransmitGate;
import dev.ferry.serial.link.LinkParams;
import dev.ferry.serial.link.PrimaryConfig;
import java.util.Objects;

/**
 * One serial line, as configured.
 *
 * @param port device path (e.g. /dev/ttyAMA0, a socat link)
 * @param baud line speed, 8N1
 * @param frameSize host maximum frame size N (32..2048), negotiated down per station
 * @param window host maximum window k (1..7)
 * @param gate RS-485 transmit gate ({@link TransmitGate#NONE} on a plain UART)
 * @param t1OverrideMs response timeout for every turn; 0 = computed from baud and frame size
 * @param turnaroundMs margin added to the computed T1 (USB/pty latency, MCU turnaround)
 * @param downAfter consecutive failed turns after which a station is marked down
 * @param reprobeMinMs first re-probe delay of a down station (doubles up to the max)
 * @param reprobeMaxMs longest re-probe delay
 * @param idlePollMs 0 = poll back to back; else the gap between polls of an idle station
 * @param idlePollMaxMs the gap doubles per empty poll up to this (adaptive idle polling; at most
 *     {@code idlePollMs} when smaller)
 * @param protocol the newest RP/serial major version offered at link set-up (1 or 2)
 */
public record LineSpec(String port, int baud, int frameSize, int window, TransmitGate gate, int t1OverrideMs,
                       int turnaroundMs, int downAfter, int reprobeMinMs, int reprobeMaxMs, int idlePollMs,
                       int idlePollMaxMs, int protocol) {
    /** @throws IllegalArgumentException on an out-of-range value */
    public LineSpec {
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(gate, "gate");
        LinkParams.of(frameSize, window);                   // validates N and k
        if (baud <= 0 || t1OverrideMs < 0 || turnaroundMs < 0 || downAfter < 1 || reprobeMinMs < 1
                || reprobeMaxMs < reprobeMinMs || idlePollMs < 0 || idlePollMaxMs < 0 || protocol < 1
                || protocol > 2) {
            throw new IllegalArgumentException("bad line settings for " + port);
        }
    }

    /** Without adaptive idle polling, offering the latest version. */
    public LineSpec(String port, int baud, int frameSize, int window, TransmitGate gate, int t1OverrideMs,
                    int turnaroundMs, int downAfter, int reprobeMinMs, int reprobeMaxMs, int idlePollMs) {
        this(port, baud, frameSize, window, gate, t1OverrideMs, turnaroundMs, downAfter, reprobeMinMs, reprobeMaxMs,
                idlePollMs, 0, 2);
    }

    /** Defaults: N 256, k 4, no gate, computed T1 with 15 ms turnaround, down after 3, re-probe 100 ms..5 s. */
    public static LineSpec of(String port, int baud) {
        return new LineSpec(port, baud, 256, 4, TransmitGate.NONE, 0, 15, 3, 100, 5000, 0);
    }

    public LineSpec withFrame(int n, int k) {
        return new LineSpec(port, baud, n, k, gate, t1OverrideMs, turnaroundMs, downAfter, reprobeMinMs,
                reprobeMaxMs, idlePollMs, idlePollMaxMs, protocol);
    }

    public LineSpec withGate(TransmitGate g) {
        return new LineSpec(port, baud, frameSize, window, g, t1OverrideMs, turnaroundMs, downAfter, reprobeMinMs,
                reprobeMaxMs, idlePollMs, idlePollMaxMs, protocol);
    }

    public LineSpec withTimers(int t1Override, int turnaround, int down, int reprobeMin, int reprobeMax, int idlePoll) {
        return new LineSpec(port, baud, frameSize, window, gate, t1Override, turnaround, down, reprobeMin,
                reprobeMax, idlePoll, idlePollMaxMs, protocol);
    }

    /** Adaptive idle polling up to {@code maxMs} between polls of an idle station. */
    public LineSpec withIdlePollMax(int maxMs) {
        return new LineSpec(port, baud, frameSize, window, gate, t1OverrideMs, turnaroundMs, downAfter, reprobeMinMs,
                reprobeMaxMs, idlePollMs, maxMs, protocol);
    }

    /** Offers RP/serial major version {@code major} (1 or 2) at most. */
    public LineSpec withProtocol(int major) {
        return new LineSpec(port, baud, frameSize, window, gate, t1OverrideMs, turnaroundMs, downAfter, reprobeMinMs,
                reprobeMaxMs, idlePollMs, idlePollMaxMs, major);
    }

    LinkParams hostParams() {
        return LinkParams.of(frameSize, window).withVersion(offeredVersion());
    }

    /** The version byte offered at set-up: the newest of the configured major (2: 2.1, with UP). */
    private int offeredVersion() {
        return protocol == 2 ? LinkParams.VERSION_LATEST : protocol << 4;
    }

    BusConfig busConfig() {
        return BusConfig.of(hostParams(), baud)
                .withTurnaroundNanos(turnaroundMs * 1_000_000L)
                .withT1OverrideNanos(t1OverrideMs * 1_000_000L)
                .withIdlePollNanos(idlePollMs * 1_000_000L)
                .withIdlePollMaxNanos(idlePollMaxMs * 1_000_000L);
    }

    PrimaryConfig stationConfig(int address) {
        return stationConfig(address, window);
    }

    /**
     * The host side of one station whose session can queue {@code inboundCapacity} messages: the
     * window offered at link set-up is at most that, so that a full window always fits the queue.
     * (Offering more would make the bus answer RNR forever: it waits for room for a whole window.)
     */
    PrimaryConfig stationConfig(int address, int inboundCapacity) {
        int k = Math.max(1, Math.min(window, inboundCapacity));
        PrimaryConfig base = PrimaryConfig.of(address, LinkParams.of(frameSize, k).withVersion(offeredVersion()));
        return base.withQueueCapacity(Math.max(base.queueCapacity(), 2 * window + 8))
                .withTimeouts(downAfter, reprobeMinMs * 1_000_000L, reprobeMaxMs * 1_000_000L);
    }

    LineOptions lineOptions() {
        return LineOptions.of8N1(gate);
    }
}

package dev.ferry.bridge.bus;

import dev.ferry.serial.link.LinkParams;
import java.util.Objects;

/**
 * Settings of one bus master (one serial line). All times in nanoseconds.
 *
 * @param hostParams the host's maximum frame size N and window k, offered to every station
 * @param baud line speed, for the response timeout T1
 * @param bitsPerCharacter bits per character on the wire (10 for 8N1)
 * @param turnaroundNanos margin added to T1 for the station's turnaround and USB/pty latency
 *     (default 15 ms)
 * @param t1OverrideNanos when positive, T1 for every turn instead of the computed value
 * @param idlePollNanos when positive, a connected station that had nothing to say (and has
 *     nothing queued) is polled again only after this long; 0 (default) polls back to back, which
 *     gives the lowest latency for messages a station originates at the cost of a busy line
 * @param stationQueue messages handed to a station's link layer ahead of the window (default k)
 * @param openBackoffMinNanos first wait after the line failed to open (default 100 ms)
 * @param openBackoffMaxNanos longest wait between open attempts (default 5 s)
 * @param readSliceMs longest single read while waiting for a response (default 20 ms)
 * @param idlePollMaxNanos adaptive idle polling: each poll a station answers with nothing doubles
 *     its gap, from {@code idlePollNanos} up to this (no more than this for a message the station
 *     starts to wait); anything the station sends resets it. Below {@code idlePollNanos}: no
 *     adaptation (default)
 */
public record BusConfig(LinkParams hostParams, int baud, int bitsPerCharacter, long turnaroundNanos,
                        long t1OverrideNanos, long idlePollNanos, int stationQueue, long openBackoffMinNanos,
                        long openBackoffMaxNanos, int readSliceMs, long idlePollMaxNanos) {
    public static final long DEFAULT_TURNAROUND_NANOS = 15_000_000L;

    /** @throws IllegalArgumentException on an out-of-range value */
    public BusConfig {
        Objects.requireNonNull(hostParams, "hostParams");
        if (baud <= 0 || bitsPerCharacter <= 0) {
            throw new IllegalArgumentException("baud and bits per character must be > 0");
        }
        if (turnaroundNanos < 0 || t1OverrideNanos < 0 || idlePollNanos < 0) {
            throw new IllegalArgumentException("turnaround, T1 override and idle poll must be >= 0");
        }
        if (stationQueue < 1) {
            throw new IllegalArgumentException("stationQueue must be >= 1");
        }
        if (openBackoffMinNanos <= 0 || openBackoffMaxNanos < openBackoffMinNanos) {
            throw new IllegalArgumentException("need 0 < openBackoffMin <= openBackoffMax");
        }
        if (readSliceMs < 1 || readSliceMs > 1000) {
            throw new IllegalArgumentException("readSliceMs must be 1..1000");
        }
    }

    /** Defaults for 8N1 at {@code baud}: 15 ms turnaround, computed T1, back-to-back polling. */
    public static BusConfig of(LinkParams hostParams, int baud) {
        return new BusConfig(hostParams, baud, 10, DEFAULT_TURNAROUND_NANOS, 0, 0, hostParams.window(),
                100_000_000L, 5_000_000_000L, 20, 0);
    }

    public BusConfig withTurnaroundNanos(long nanos) {
        return new BusConfig(hostParams, baud, bitsPerCharacter, nanos, t1OverrideNanos, idlePollNanos,
                stationQueue, openBackoffMinNanos, openBackoffMaxNanos, readSliceMs, idlePollMaxNanos);
    }

    public BusConfig withT1OverrideNanos(long nanos) {
        return new BusConfig(hostParams, baud, bitsPerCharacter, turnaroundNanos, nanos, idlePollNanos,
                stationQueue, openBackoffMinNanos, openBackoffMaxNanos, readSliceMs, idlePollMaxNanos);
    }

    public BusConfig withIdlePollNanos(long nanos) {
        return new BusConfig(hostParams, baud, bitsPerCharacter, turnaroundNanos, t1OverrideNanos, nanos,
                stationQueue, openBackoffMinNanos, openBackoffMaxNanos, readSliceMs, idlePollMaxNanos);
    }

    public BusConfig withIdlePollMaxNanos(long nanos) {
        return new BusConfig(hostParams, baud, bitsPerCharacter, turnaroundNanos, t1OverrideNanos, idlePollNanos,
                stationQueue, openBackoffMinNanos, openBackoffMaxNanos, readSliceMs, nanos);
    }

    /** The longest idle gap: {@code idlePollMaxNanos}, but never below {@code idlePollNanos}. */
    public long idleGapMaxNanos() {
        return Math.max(idlePollNanos, idlePollMaxNanos);
    }

    public BusConfig withOpenBackoff(long minNanos, long maxNanos) {
        return new BusConfig(hostParams, baud, bitsPerCharacter, turnaroundNanos, t1OverrideNanos, idlePollNanos,
                stationQueue, minNanos, maxNanos, readSliceMs, idlePollMaxNanos);
    }
}

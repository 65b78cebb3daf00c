package dev.ferry.bridge.device;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Figures of one device session. Written by the bus and delivery threads, readable anywhere.
 */
public final class DeviceCounters {
    /** Why a message was not carried. */
    public enum Drop {
        /** Toward the MCU: the outbound queue was full (the caller answers with an RP ERROR). */
        OUTBOUND_FULL,
        /** Toward the MCU: the device was not linked (the caller answers with an RP ERROR). */
        NOT_ATTACHED,
        /** From the MCU: the inbound queue was full despite RNR. */
        INBOUND_FULL,
        /** From the MCU: a segment or header error (the link layer counted its kind). */
        DECODE_ERROR,
        /** From the MCU: an identify reply that came when none was expected. */
        STRAY_IDENTIFY
    }

    private static final Drop[] DROPS = Drop.values();

    final AtomicLong messagesIn = new AtomicLong();
    final AtomicLong messagesOut = new AtomicLong();
    final AtomicLong linkResets = new AtomicLong();
    final AtomicLong mcuResets = new AtomicLong();
    final AtomicLong failedSetups = new AtomicLong();
    final AtomicLong attaches = new AtomicLong();
    private final AtomicLongArray drops = new AtomicLongArray(DROPS.length);

    void drop(Drop d) {
        drops.incrementAndGet(d.ordinal());
    }

    /** Messages from the MCU queued toward the rest of Ferry. */
    public long messagesIn() {
        return messagesIn.get();
    }

    /** Messages accepted toward the MCU. */
    public long messagesOut() {
        return messagesOut.get();
    }

    /** Times an established link (IDENTIFYING or ATTACHED) was lost. */
    public long linkResets() {
        return linkResets.get();
    }

    /** Reset pulses sent to the MCU. */
    public long mcuResets() {
        return mcuResets.get();
    }

    /** Link set-up attempts that did not bring the link up. */
    public long failedSetups() {
        return failedSetups.get();
    }

    /** Times the device reached ATTACHED. */
    public long attaches() {
        return attaches.get();
    }

    public long drops(Drop d) {
        return drops.get(d.ordinal());
    }

    /** Non-zero drop counts by reason. */
    public Map<Drop, Long> dropSnapshot() {
        Map<Drop, Long> m = new EnumMap<>(Drop.class);
        for (Drop d : DROPS) {
            long v = drops.get(d.ordinal());
            if (v != 0) {
                m.put(d, v);
            }
        }
        return m;
    }

    @Override
    public String toString() {
        return "in=" + messagesIn + " out=" + messagesOut + " linkResets=" + linkResets + " mcuResets=" + mcuResets
                + " failedSetups=" + failedSetups + " attaches=" + attaches + " drops=" + dropSnapshot();
    }
}

package dev.ferry.bridge.device;

/**
 * Lifecycle of one MCU on a bus.
 *
 * <pre>
 *   DETACHED ──► LINKING ──► IDENTIFYING ──► ATTACHED
 *                   ▲             │              │
 *                   └──── LOST ◄──┴──────────────┘
 * </pre>
 */
public enum DeviceState {
    /** The line is not running (before start, after stop). */
    DETACHED,
    /** The bus is setting the link up (SNRM), possibly with backoff. */
    LINKING,
    /** The link is up; the session asked the MCU for {@code /info}. */
    IDENTIFYING,
    /** Identified; messages flow both ways. */
    ATTACHED,
    /** The link went down (unplugged, MCU reset or silent); the bus will set it up again. */
    LOST
}

package dev.ferry.bridge.bus;

/** The state of a bus master's serial line. */
public enum LineState {
    /** Not started, or stopped: the port is closed. */
    CLOSED,
    /** Started, the port has not been opened yet (or cannot be: see the log). */
    OPENING,
    /** The port is open and the bus polls. */
    OPEN,
    /** The port failed while open (unplugged): closed, reopened with backoff. */
    UNPLUGGED
}

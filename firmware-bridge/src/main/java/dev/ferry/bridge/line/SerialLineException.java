package dev.ferry.bridge.line;

import java.io.IOException;

/**
 * A failure of a serial line, with a {@link Reason} the caller can act on.
 *
 * <p>Callers may rely on: {@link #reason()} is never null; {@link #errorCode()} and
 * {@link #errorLocation()} are jSerialComm's {@code getLastErrorCode()} / {@code
 * getLastErrorLocation()} at the time of failure (the errno and the line in jSerialComm's native
 * source), or -1 when no native call was involved; the message is written for an operator and
 * says what to do where that is known.
 */
public final class SerialLineException extends IOException {

    /** Why a line failed. */
    public enum Reason {
        /** The configured path does not exist (or does not name a tty). */
        MISSING,
        /** Another process, or another line in this JVM, holds the port. */
        BUSY,
        /** The process's user may not read and write the device (usually: not in its group). */
        PERMISSION,
        /** jSerialComm's native library could not be extracted or loaded. */
        NATIVE_LIBRARY,
        /** The tty vanished while open (USB unplugged, pty closed): close and reopen later. */
        UNPLUGGED,
        /** Any other I/O failure reported by the operating system. */
        IO
    }

    private static final long serialVersionUID = 1L;

    private final Reason reason;
    private final String path;
    private final int errorCode;
    private final int errorLocation;

    /**
     * @param reason why the line failed
     * @param path the configured port path
     * @param message an operator-readable explanation
     * @param errorCode jSerialComm's last error code (errno), or -1
     * @param errorLocation jSerialComm's last error location, or -1
     * @param cause an underlying exception, or null
     */
    public SerialLineException(Reason reason, String path, String message, int errorCode,
                               int errorLocation, Throwable cause) {
        super(reason + " " + path + ": " + message
                + (errorCode >= 0 ? " (errno " + errorCode + " at jSerialComm line " + errorLocation + ")" : ""),
                cause);
        this.reason = reason;
        this.path = path;
        this.errorCode = errorCode;
        this.errorLocation = errorLocation;
    }

    /** Why the line failed; never null. */
    public Reason reason() {
        return reason;
    }

    /** The configured port path. */
    public String path() {
        return path;
    }

    /** jSerialComm's last error code (an errno on Linux), or -1. */
    public int errorCode() {
        return errorCode;
    }

    /** jSerialComm's last error location (a line in its native source), or -1. */
    public int errorLocation() {
        return errorLocation;
    }
}

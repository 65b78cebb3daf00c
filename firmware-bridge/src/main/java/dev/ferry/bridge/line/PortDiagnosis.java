package dev.ferry.bridge.line;

import dev.ferry.bridge.line.SerialLineException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Turns a failed open, read or write into a {@link SerialLineException} with a reason and an
 * operator-readable message. The classification functions are pure so they can be tested
 * without a port.
 */
final class PortDiagnosis {

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EIO = 5;
    static final int ENXIO = 6;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EBUSY = 16;
    static final int ENODEV = 19;
    static final int ENOTTY = 25;

    private PortDiagnosis() {
    }

    /**
     * Why an open failed.
     *
     * @param errno jSerialComm's last error code
     * @param exists whether the configured path exists
     * @param readWritable whether this user may read and write the device node
     */
    static Reason classifyOpen(int errno, boolean exists, boolean readWritable) {
        if (!exists) {
            return Reason.MISSING;
        }
        if (errno == EACCES || errno == EPERM || !readWritable) {
            return Reason.PERMISSION;
        }
        if (errno == EAGAIN || errno == EBUSY) {
            return Reason.BUSY; // flock(LOCK_EX|LOCK_NB) held by another process
        }
        if (errno == ENOENT) {
            return Reason.BUSY; // jSerialComm reports 2 when the port is already open in this JVM
        }
        if (errno == ENOTTY || errno == ENXIO || errno == ENODEV) {
            return Reason.MISSING; // a node without a serial device behind it
        }
        return Reason.IO;
    }

    /**
     * Why a read or write on an open port failed.
     *
     * @param errno jSerialComm's last error code
     * @param deviceStillThere the configured path still resolves to the device that was opened
     * @param queryFails asking the driver for the bytes available fails too
     */
    static Reason classifyTransfer(int errno, boolean deviceStillThere, boolean queryFails) {
        if (!deviceStillThere || queryFails || errno == EIO || errno == ENXIO || errno == ENODEV) {
            return Reason.UNPLUGGED;
        }
        return Reason.IO;
    }

    /** The message for an open failure of the given reason. */
    static String openMessage(Reason reason, Path path, int errno) {
        return switch (reason) {
            case MISSING -> errno == ENOTTY || errno == ENXIO || errno == ENODEV
                    ? "exists but is not a usable serial port (no tty behind it); check the configured path"
                    : "no such port; check the configured path, the cable and the driver (ls -l /dev/serial/by-id/)";
            case BUSY -> "port is in use by another process or already open in this one"
                    + " (find the holder with: fuser -v " + path + ")";
            case PERMISSION -> permissionMessage(path);
            case NATIVE_LIBRARY, UNPLUGGED, IO -> "cannot open the port";
        };
    }

    /** Names the user, the device's group (usually dialout) and the fix. */
    static String permissionMessage(Path path) {
        String user = System.getProperty("user.name", "?");
        String group = "dialout";
        String mode = "?";
        try {
            PosixFileAttributes attrs = Files.readAttributes(path, PosixFileAttributes.class);
            group = attrs.group().getName();
            mode = PosixFilePermissions.toString(attrs.permissions());
        } catch (IOException | UnsupportedOperationException e) {
            // keep the defaults: the message is still useful
        }
        return "user '" + user + "' may not read and write it (mode " + mode + ", group '" + group
                + "'); add the user to the group: sudo usermod -aG " + group + " " + user
                + " and log in again";
    }

    /** Whether the configured path still names the device node that was opened. */
    static boolean stillResolvesTo(Path configured, Path opened) {
        if (!Files.exists(configured)) {
            return false;
        }
        try {
            return configured.toRealPath().equals(opened) && Files.exists(opened, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return false;
        }
    }
}

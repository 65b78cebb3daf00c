package dev.ferry.edge.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a configured serial port path names on this machine. A port must be a character device
 * (a tty); a path that does not exist yet is accepted, because a USB adapter may be plugged in
 * after Ferry starts (Ferry keeps trying to open it), but a regular file, a directory or a socket
 * is a mistake that would otherwise show only as endless open failures.
 */
final class SerialPortPath {
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;

    private SerialPortPath() { }

    /** True for a character device (following links) or a path that does not exist. */
    static boolean isCharacterDeviceOrAbsent(String path) {
        Path p = Path.of(path);
        return !Files.exists(p) || mode(p) == S_IFCHR;   // absent, or a dangling /dev/ferry/* link

    }

    /** A few words on what the path is: "a regular file", "a directory", ... */
    static String describe(String path) {
        Path p = Path.of(path);
        if (Files.isDirectory(p)) {
            return "a directory";
        }
        if (Files.isRegularFile(p)) {
            return "a regular file";
        }
        return switch (mode(p)) {
            case 0060000 -> "a block device";
            case 0140000 -> "a socket";
            case 0010000 -> "a named pipe";
            default -> "not a character device";
        };
    }

    private static int mode(Path p) {
        try {
            return ((Integer) Files.getAttribute(p, "unix:mode")) & S_IFMT;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }
}

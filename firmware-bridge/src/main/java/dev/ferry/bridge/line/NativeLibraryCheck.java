package dev.ferry.bridge.line;

import com.fazecast.jSerialComm.SerialPort;
import dev.ferry.bridge.line.SerialLineException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tinylog.Logger;

/**
 * Start-up check of jSerialComm's native library: where it is extracted, whether that place is
 * writable and executable, and whether the library loads.
 *
 * <p>Callers may rely on: {@link #verify()} runs the check once per JVM and rethrows the same
 * diagnosis on later calls; the exception names the directory tried and the
 * {@code jSerialComm.library.path} system property.
 */
public final class NativeLibraryCheck {

    /** System property naming a directory with a pre-extracted native library. */
    public static final String LIBRARY_PATH_PROPERTY = "jSerialComm.library.path";

    private static final Object LOCK = new Object();
    private static boolean done;
    private static SerialLineException failure;

    private NativeLibraryCheck() {
    }

    /** The directory jSerialComm extracts to (or loads from, if the property is set). */
    public static Path libraryDirectory() {
        String configured = System.getProperty(LIBRARY_PATH_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("java.io.tmpdir", "/tmp"), "jSerialComm");
    }

    /**
     * What is wrong with {@code dir} as an extraction directory, or null if nothing: it (or the
     * nearest existing parent) must be a writable directory on a mount without {@code noexec}.
     */
    static String problemWith(Path dir, List<String> mountLines) {
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            return existing + " is not a directory";
        }
        if (!Files.isWritable(existing)) {
            return existing + " is not writable by user '" + System.getProperty("user.name") + "'";
        }
        String mount = "";
        String options = "";
        for (String line : mountLines) {
            String[] f = line.split(" ");
            if (f.length >= 4 && existing.toString().startsWith(f[1]) && f[1].length() >= mount.length()) {
                mount = f[1];
                options = f[3];
            }
        }
        if (List.of(options.split(",")).contains("noexec")) {
            return existing + " is on a noexec mount (" + mount + ")";
        }
        return null;
    }

    /**
     * Check the library directory and load the native library, once per JVM.
     *
     * @throws SerialLineException with {@link Reason#NATIVE_LIBRARY} if the library cannot load
     */
    public static void verify() throws SerialLineException {
        synchronized (LOCK) {
            if (!done) {
                failure = runCheck();
                done = true;
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    private static SerialLineException runCheck() {
        Path dir = libraryDirectory();
        List<String> mounts;
        try {
            mounts = Files.readAllLines(Path.of("/proc/self/mounts"));
        } catch (IOException e) {
            mounts = List.of();
        }
        String problem = problemWith(dir, mounts);
        if (problem != null) {
            Logger.warn("jSerialComm native library directory {}: {}", dir, problem);
        }
        try {
            String version = SerialPort.getVersion();
            Logger.debug("jSerialComm {} native library loaded (directory {})", version, dir);
            return null;
        } catch (LinkageError | RuntimeException e) {
            String msg = "jSerialComm's native library did not load; it extracts to " + dir
                    + (problem == null ? "" : " (" + problem + ")")
                    + " and falls back to ~/.jSerialComm; set -Djava.io.tmpdir=<writable, exec-mounted dir>"
                    + " or -D" + LIBRARY_PATH_PROPERTY + "=<dir holding libjSerialComm.so>";
            return new SerialLineException(Reason.NATIVE_LIBRARY, dir.toString(), msg, -1, -1, e);
        }
    }
}

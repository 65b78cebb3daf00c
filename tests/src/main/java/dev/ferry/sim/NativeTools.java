package dev.ferry.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The repository's C programs that tests and benches run as child processes (the host-sim
 * firmware, the line simulator), built with {@code make} on first use.
 *
 * <p>Callers may rely on: the returned path is an executable built from the current sources
 * ({@code make -s -C <dir>} runs once per JVM and directory, so a stale binary is rebuilt), or an
 * {@link IOException} saying why not; concurrent callers do not run make twice.
 */
public final class NativeTools {

    private static final long MAKE_TIMEOUT_SECONDS = 120;
    private static final Set<Path> BUILT = new HashSet<>();

    private NativeTools() {
    }

    /** The repository root: {@code -Dferry.root}, else the nearest parent holding {@code boards/host-sim}. */
    public static Path repoRoot() {
        String root = System.getProperty("ferry.root");
        if (root != null) {
            return Path.of(root).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("boards/host-sim"))) {
                return p;
            }
        }
        throw new IllegalStateException("run from the repository (or set -Dferry.root)");
    }

    /** The host-sim firmware ({@code boards/host-sim/build/ferry-host-sim}). */
    public static Path hostSim() throws IOException, InterruptedException {
        return built("boards/host-sim", "build/ferry-host-sim");
    }

    /** The line simulator ({@code tests/linesim/build/ferry-linesim}). */
    public static Path lineSim() throws IOException, InterruptedException {
        return built("tests/linesim", "build/ferry-linesim");
    }

    /**
     * Runs make in {@code dir} (relative to the repository root) unless this JVM already did, and
     * returns {@code dir/binary}.
     */
    public static Path built(String dir, String binary) throws IOException, InterruptedException {
        Path d = repoRoot().resolve(dir);
        Path bin = d.resolve(binary);
        synchronized (BUILT) {
            if (!BUILT.contains(d) || !Files.isExecutable(bin)) {
                make(d);
                BUILT.add(d);
            }
        }
        if (!Files.isExecutable(bin)) {
            throw new IOException("make -C " + d + " did not produce " + bin);
        }
        return bin;
    }

    private static void make(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("make", "-s", "-C", dir.toString()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes(); // ends when make exits
        if (!p.waitFor(MAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("make -C " + dir + " failed:\n" + new String(out, StandardCharsets.UTF_8));
        }
    }
}

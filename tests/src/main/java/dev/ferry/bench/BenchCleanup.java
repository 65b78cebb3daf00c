package dev.ferry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** What every benchmark does when it ends: stop what it started, delete its work directory. */
final class BenchCleanup {
    private BenchCleanup() {
    }

    /**
     * Closes {@code ferry}, ends {@code firmware} (forcibly after 2 s), closes {@code line} and
     * deletes {@code work}; null parts are skipped (the benchmark failed before starting them).
     */
    static void stop(AutoCloseable ferry, Process firmware, AutoCloseable line, Path work) throws Exception {
        if (ferry != null) {
            ferry.close();
        }
        if (firmware != null) {
            firmware.destroy();
            if (!firmware.waitFor(2, TimeUnit.SECONDS)) {
                firmware.destroyForcibly();
            }
        }
        if (line != null) {
            line.close();
        }
        deleteTree(work);
    }

    /** Deletes {@code dir} and everything in it, deepest first. */
    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

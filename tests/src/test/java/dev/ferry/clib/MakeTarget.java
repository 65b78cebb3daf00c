package dev.ferry.clib;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a make target in a directory of the repository and captures its output, for tests. */
final class MakeTarget {
    /** What a make run left behind: exit status and combined output. */
    record Result(int exit, String output) { }

    private MakeTarget() { }

    static Path repoRoot() {
        String root = System.getProperty("ferry.root");
        Path p = root != null ? Path.of(root) : Path.of("..");
        return p.toAbsolutePath().normalize();
    }

    static Result run(String dir, long timeoutSeconds, String... targetsAndVars)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("make", "--no-print-directory", "-C",
                repoRoot().resolve(dir).toString()));
        cmd.addAll(List.of(targetsAndVars));
        Path log = Files.createTempFile("ferry-make", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return new Result(-1, "timed out after " + timeoutSeconds + " s\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}

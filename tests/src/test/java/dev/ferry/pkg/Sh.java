package dev.ferry.pkg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion for the package tests: exit code and merged output. */
final class Sh {
    /** A finished command. */
    record Result(int exit, String out) {
        Result expect(int code, String what) {
            if (exit != code) {
                throw new AssertionError(what + ": exit " + exit + " (expected " + code + ")\n" + out);
            }
            return this;
        }
    }

    private Sh() { }

    static Result run(String... cmd) throws IOException, InterruptedException {
        return run(Map.of(), null, cmd);
    }

    static Result run(Map<String, String> env, Path dir, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();          // ends when the process closes stdout
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", cmd));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static boolean exists(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Path.of(dir, command).toFile().canExecute()) {
                return true;
            }
        }
        return Path.of("/usr/sbin", command).toFile().canExecute();
    }
}

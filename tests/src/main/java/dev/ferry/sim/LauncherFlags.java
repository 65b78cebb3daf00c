package dev.ferry.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM options the installed service runs with, read from the Debian launcher
 * {@code edge-runtime/src/deb/bin/ferry} so that tests and benchmarks follow it: its
 * {@code JVM_OPTS="…"}, plus its {@code TRIM_OPTS="…"} when this JVM is one the launcher adds them
 * for (17.0.9+, 21.0.1+, 22+). The launcher also exports {@code MALLOC_ARENA_MAX=2}; callers set it.
 */
public final class LauncherFlags {
    private LauncherFlags() { }

    public static List<String> read() throws IOException {
        Path launcher = NativeTools.repoRoot().resolve("edge-runtime/src/deb/bin/ferry");
        String text = Files.readString(launcher);
        List<String> flags = new ArrayList<>(quoted(text, "JVM_OPTS", launcher));
        if (hasTrim(Runtime.version())) {
            flags.addAll(quoted(text, "TRIM_OPTS", launcher));
        }
        return List.copyOf(flags);
    }

    /** The launcher's rule for -XX:TrimNativeHeapInterval (java_has_trim). */
    static boolean hasTrim(Runtime.Version v) {
        return switch (v.feature()) {
            case 17 -> v.update() >= 9;
            case 21 -> v.update() >= 1;
            default -> v.feature() >= 22;
        };
    }

    private static List<String> quoted(String text, String name, Path launcher) throws IOException {
        Matcher m = Pattern.compile("(?m)^" + name + "=\"([^\"]*)\"").matcher(text);
        if (!m.find()) {
            throw new IOException("no " + name + "=\"...\" line in " + launcher);
        }
        return Arrays.stream(m.group(1).trim().split("\\s+")).toList();
    }
}

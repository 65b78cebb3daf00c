package dev.ferry.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian launcher adds -XX:TrimNativeHeapInterval only for JVMs that know it (an older one
 * would refuse to start): its shell rule, run on fake JDKs whose {@code release} files name
 * versions on both sides of 17.0.9 and 21.0.1, agrees with {@link LauncherFlags#hasTrim}, which the
 * benchmarks and system tests use to follow the launcher.
 */
class LauncherFlagsTest {
    @Test
    void launcherTrimRuleMatchesTheJavaRule(@TempDir Path dir) throws Exception {
        Path launcher = NativeTools.repoRoot().resolve("edge-runtime/src/deb/bin/ferry");
        String fn = Files.readAllLines(launcher).stream()
                .dropWhile(l -> !l.startsWith("java_has_trim()"))
                .takeWhile(l -> !l.equals("}")).reduce("", (a, b) -> a + b + "\n") + "}\n";
        Path bin = Files.createDirectories(dir.resolve("jdk/bin"));
        Files.copy(Path.of("/bin/true"), bin.resolve("java"));
        for (String v : List.of("17", "17.0.8", "17.0.9", "17.0.21.1", "18.0.2", "20.0.1", "21", "21.0.1", "22", "25.0.1")) {
            Files.writeString(dir.resolve("jdk/release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"" + v + "\"\n");
            assertEquals(LauncherFlags.hasTrim(Runtime.Version.parse(v)) ? "yes" : "no", hasTrim(fn, bin), "JAVA_VERSION " + v);
        }
        Files.delete(dir.resolve("jdk/release"));
        assertEquals("no", hasTrim(fn, bin), "a JDK without a release file");
        assertFalse(LauncherFlags.hasTrim(Runtime.Version.parse("17.0.8")));
        assertTrue(LauncherFlags.hasTrim(Runtime.Version.parse("17.0.9")));
    }

    private static String hasTrim(String fn, Path bin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", fn + "java_has_trim && echo yes || echo no").redirectErrorStream(true);
        pb.environment().put("JAVA", bin.resolve("java").toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        return out;
    }

    @Test
    void flagsCarryTheLaunchersMemorySettings() throws Exception {
        List<String> flags = LauncherFlags.read();
        assertTrue(flags.containsAll(List.of("-XX:+UseSerialGC", "-Xmx48m", "-XX:TieredStopAtLevel=1")), flags.toString());
        assertEquals(LauncherFlags.hasTrim(Runtime.version()), flags.contains("-XX:TrimNativeHeapInterval=5000"), flags.toString());
    }
}

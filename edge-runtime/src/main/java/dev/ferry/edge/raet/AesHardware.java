package dev.ferry.edge.raet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.tinylog.Logger;

/**
 * Whether the CPU has the instructions that make AES-GCM fast in the JDK (its AES and GHASH
 * intrinsics), read from {@code /proc/cpuinfo}: on x86 the {@code flags} line lists {@code aes}
 * and {@code pclmulqdq}; on ARMv8 the {@code Features} line lists {@code aes} and {@code pmull}
 * (a Raspberry Pi 5 has them, a Pi 4's Cortex-A72 does not). Unreadable or unknown: false, so
 * "auto" then prefers ChaCha20-Poly1305, which needs no hardware support.
 */
public final class AesHardware {
    private static volatile Boolean here;

    private AesHardware() { }

    /** This machine, read once per process. */
    public static boolean here() {
        Boolean h = here;
        if (h == null) {
            String text;
            try {
                text = Files.readString(Path.of("/proc/cpuinfo"), StandardCharsets.ISO_8859_1);
            } catch (IOException | RuntimeException e) {
                Logger.debug("raet: cannot read /proc/cpuinfo ({}); assuming no AES hardware", e.toString());
                text = "";
            }
            h = in(text);
            here = h;
        }
        return h;
    }

    /** True when every CPU's flags (x86) or Features (ARM) line in {@code cpuinfo} has both instructions. */
    public static boolean in(String cpuinfo) {
        boolean seen = false;
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            boolean x86 = key.equals("flags");
            if (!x86 && !key.equals("Features")) {
                continue;
            }
            Set<String> f = new HashSet<>(Arrays.asList(line.substring(colon + 1).strip().split("\\s+")));
            if (!f.contains("aes") || !f.contains(x86 ? "pclmulqdq" : "pmull")) {
                return false;
            }
            seen = true;
        }
        return seen;
    }
}

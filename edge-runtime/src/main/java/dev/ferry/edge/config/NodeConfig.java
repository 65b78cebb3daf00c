package dev.ferry.edge.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code [node]}: who this Ferry is.
 *
 * @param id node id sent in RESI handshakes; default {@code ferry-<hostname>}, or {@code ferry}
 *           when the host name cannot be read
 */
public record NodeConfig(String id) {
    public NodeConfig {
        Objects.requireNonNull(id, "id");
    }

    /** The default id: {@code ferry-} and the host name (lower case, letters/digits/-), else {@code ferry}. */
    public static String defaultId() {
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim().toLowerCase(Locale.ROOT);
            h = h.replaceAll("[^a-z0-9-]", "-");
            if (!h.isEmpty() && h.length() <= 58) {
                return "ferry-" + h;
            }
        } catch (IOException | RuntimeException e) {
            // no host name on this platform: fall through
        }
        return "ferry";
    }
}

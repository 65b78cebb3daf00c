package dev.ferry.edge.service;

import dev.ferry.edge.app.FerryRuntime;
import dev.ferry.edge.config.ConfigLoader;
import dev.ferry.edge.config.FerryConfig;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The training run for the AppCDS archive: starts a runtime shaped like a real one (a serial line,
 * a device, the HTTP facade on a free loopback port), asks the facade what {@code ferry status}
 * and the watchdog ask, then stops. Run by the launcher with {@code -XX:ArchiveClassesAtExit} so
 * that the classes a start-up loads are archived (see src/deb/README.md).
 *
 * <p>The line's port does not exist, so no hardware is touched; the serial classes load anyway.
 * Exit code 0 when the facade answered at least once. Each request may take a minute: on a slow
 * board (or under emulation) the first requests of a cold JVM take seconds, and a training that
 * gave up on them would be thrown away and paid for again at every start.
 */
public final class CdsTraining {
    private static final int REQUEST_TIMEOUT_MS = 60_000;
    private static final String CONFIG = String.join("\n",
            "[http]", "listen = \"127.0.0.1:0\"",
            "[limits]", "request_timeout_ms = 500",
            "[logging]", "level = \"warn\"",
            "[[lines]]", "name = \"train0\"", "port = \"/dev/ferry-cds-training-none\"",
            "[[devices]]", "name = \"dev0\"", "line = \"train0\"", "address = 1", "mount = \"/dev0\"", "");

    private CdsTraining() { }

    public static void main(String[] args) throws Exception {
        FerryConfig cfg = ConfigLoader.parse(CONFIG, "cds-training.toml");
        int code = 1;
        try (FerryRuntime rt = FerryRuntime.start(cfg)) {
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", rt.httpPort());
            int answered = 0;
            for (String p : new String[] {"/%23runtime", "/%23runtime/node", "/%23runtime/devices",
                    "/%23runtime/lines", "/%23runtime/metrics", "/%23runtime/time", "/dev0/info", "/"}) {
                try {
                    answered += LocalHttp.get(to, p, REQUEST_TIMEOUT_MS).status() > 0 ? 1 : 0;
                } catch (IOException e) {
                    System.err.println("cds training: GET " + p + ": " + e.getMessage());
                }
            }
            code = answered > 0 ? 0 : 1;
        }
        System.exit(code);
    }
}

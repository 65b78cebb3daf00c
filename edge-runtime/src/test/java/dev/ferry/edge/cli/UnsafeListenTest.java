package dev.ferry.edge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A careless user's file: a peer listening on every interface in security mode open. Neither
 * {@code check-config} nor {@code run} accepts it; both say which key makes it acceptable, and
 * exit 2 before anything binds.
 */
@Tag("small")
class UnsafeListenTest {
    private static final String CONFIG = String.join("\n",
            "[http]", "enabled = false",
            "[[peers]]", "id = \"garage\"",
            "[[peers.transports]]", "kind = \"tcp\"", "listen = \"0.0.0.0:7500\"", "");

    @Test
    void checkConfigAndRunRefuseNamingTheKey(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("lan.toml"), CONFIG);
        for (String[] args : new String[][] {{"check-config", f.toString()}, {"run", "--config", f.toString()}}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            String e = err.toString(StandardCharsets.UTF_8);
            assertEquals(2, code, args[0] + ": " + e);
            assertTrue(e.startsWith(f + ":7: peers[0].transports[0].listen: found \"0.0.0.0:7500\", expected a loopback"
                    + " address"), e);
            assertTrue(e.contains("unsafe_unauthenticated_lan = true"), e);
            assertTrue(e.contains(args[0].equals("run") ? "ferry: 1 problem in the configuration; not starting"
                    : "ferry: 1 problem in " + f), e);
            assertEquals("", out.toString(StandardCharsets.UTF_8));
        }
        Path ok = Files.writeString(dir.resolve("ok.toml"), CONFIG + "[security]\nunsafe_unauthenticated_lan = true\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"check-config", ok.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("OK"), out.toString(StandardCharsets.UTF_8));
    }
}

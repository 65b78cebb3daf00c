package dev.ferry.edge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code [northbound]} as a careless user writes it: every problem named at its file:line. */
@Tag("small")
class NorthboundConfigTest {
    private static final String BASE = String.join("\n", "[node]", "id = \"edge1\"",
            "[[lines]]", "name = \"sim0\"", "simulate = true",
            "[[devices]]", "name = \"dev0\"", "line = \"sim0\"", "address = 1", "mount = \"/dev0\"", "");

    private static List<String> problems(String northbound) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse(BASE + "[northbound]\n" + northbound, "nb.toml"));
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void defaultsWhenAbsent() throws Exception {
        NorthboundConfig c = ConfigLoader.parse(BASE, "ok.toml").northbound();
        assertEquals(false, c.enabled());
        assertEquals("ferry-edge1", c.clientId());
        assertEquals("edge1", c.edgeNodeId());
        assertEquals(1, c.qos());
        assertEquals(64L << 20, c.queueMaxBytes());
        assertEquals(NorthboundConfig.QueueFull.DROP_OLDEST, c.queueFull());
    }

    @Test
    void aValidSectionReadsBack(@TempDir Path dir) throws Exception {
        Path pw = Files.writeString(dir.resolve("pw"), "secret\n");
        NorthboundConfig c = ConfigLoader.parse(BASE + String.join("\n", "[northbound]", "enabled = true",
                "broker = \"127.0.0.1:1883\"", "username = \"u\"", "password_file = \"" + pw + "\"",
                "mode = \"plain\"", "publish = [\"/dev0/sensors/temp/\"]", "queue_full = \"refuse_newest\"",
                "queue_fsync = \"always\"", ""), "ok.toml").northbound();
        assertEquals(List.of("/dev0/sensors/temp"), c.publish());
        assertEquals(NorthboundConfig.Mode.PLAIN, c.mode());
        assertEquals(NorthboundConfig.Fsync.ALWAYS, c.queueFsync());
    }

    @Test
    void badValuesAreNamedAtTheirLines() {
        List<String> p = problems(String.join("\n", "qos = 2", "ca_file = \"/x.pem\"",
                "publish = [\"/elsewhere/x\", \"/dev0/a#b\"]", "reconnect_min_ms = 5000", "reconnect_max_ms = 100",
                "group_id = \"a/b\"", "queue_full = \"drop_all\"", ""));
        String all = String.join("\n", p);
        assertTrue(all.contains("nb.toml:12: northbound.qos: found 2, expected an integer in 0..1"), all);
        assertTrue(all.contains("nb.toml:13: northbound.ca_file: found \"/x.pem\", expected no ca_file unless tls = true"), all);
        assertTrue(all.contains("northbound.publish: found \"/dev0/a#b\""), all);
        assertTrue(all.contains("northbound.publish: found \"/elsewhere/x\", expected a path under a device mount"), all);
        assertTrue(all.contains("nb.toml:16: northbound.reconnect_max_ms: found 100, expected at least reconnect_min_ms"), all);
        assertTrue(all.contains("nb.toml:17: northbound.group_id"), all);
        assertTrue(all.contains("nb.toml:18: northbound.queue_full: found \"drop_all\""), all);
    }

    @Test
    void enabledNeedsReadableFilesAndSomethingToPublish() {
        String all = String.join("\n", problems(String.join("\n", "enabled = true", "tls = true",
                "cert_file = \"/nonexistent/c.pem\"", "password_file = \"/nonexistent/pw\"", "")));
        assertTrue(all.contains("northbound.cert_file: found \"/nonexistent/c.pem\", expected a readable file"), all);
        assertTrue(all.contains("northbound.key_file: found nothing, expected cert_file and key_file together"), all);
        assertTrue(all.contains("northbound.username: found nothing, expected a username with password_file"), all);
        assertTrue(all.contains("northbound.publish: found nothing, expected at least one RP path"), all);
    }
}

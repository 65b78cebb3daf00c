package dev.ferry.edge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config files written to break the checker: deep nesting, serial ports that are not ttys. */
@Tag("small")
class HostileConfigTest {
    @TempDir
    Path dir;

    @Test
    void deepNestingIsAProblemLineNotAStackOverflow() {
        String deep = "[http]\nlisten = \"127.0.0.1:0\"\nx = " + "[".repeat(100_000) + "]".repeat(100_000) + "\n";
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(deep, "deep.toml"));
        assertEquals("deep.toml:3: found values nested deeper than 32 levels, expected arrays and inline tables"
                + " nested at most 32 deep", e.getMessage());
        String tables = "a = " + "{b=".repeat(50_000) + "1" + "}".repeat(50_000);
        assertThrows(ConfigException.class, () -> ConfigLoader.parse(tables, "t.toml"));
    }

    @Test
    void bracketsInStringsAndCommentsDoNotCount() throws Exception {
        String text = "[node]\nid = \"" + "[".repeat(40) + "\" # " + "{".repeat(40) + "\n"
                + "[logging]\nlevel = '''\n" + "[".repeat(40) + "\n'''\n";
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(text, "s.toml"));
        assertTrue(e.getMessage().contains("node.id"), "the id is refused for its characters, not nesting: "
                + e.getMessage());
        assertEquals(0, TomlDepth.lineTooDeep("a = [[1, 2], [3, [4, {x = [5]}]]]\n"));
    }

    @Test
    void aSerialPortMustBeACharacterDevice() throws Exception {
        Path regular = Files.writeString(dir.resolve("notatty"), "x");
        String cfg = "[[lines]]\nname = \"bus0\"\nport = \"%s\"\n";
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse(cfg.formatted(regular), "p.toml"));
        assertEquals("p.toml:3: lines[0].port: found \"" + regular + "\" (a regular file), expected a serial port:"
                + " a character device such as /dev/ttyAMA0 (or a path that appears when the adapter is plugged in)",
                e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(cfg.formatted(dir), "p.toml"));
        assertTrue(e.getMessage().contains("(a directory)"), e.getMessage());
        // a tty (any character device) and a not-yet-plugged adapter are fine
        ConfigLoader.parse(cfg.formatted("/dev/null"), "p.toml");
        ConfigLoader.parse(cfg.formatted(dir.resolve("ttyUSB-not-plugged")), "p.toml");
    }

    @Test
    void checkConfigExitsTwoOnBothWithProblemLines() throws Exception {
        Path deep = Files.writeString(dir.resolve("deep.toml"), "x = " + "[".repeat(100_000) + "]".repeat(100_000));
        Path shadow = Files.writeString(dir.resolve("shadow.toml"),
                "[[lines]]\nname = \"bus0\"\nport = \"" + Files.writeString(dir.resolve("shadow"), "root:x") + "\"\n");
        for (Path p : new Path[] {deep, shadow}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.run(new String[] {"check-config", p.toString()},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            String text = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
            assertEquals(2, code, text);
            assertTrue(text.startsWith(p + ":"), text);
        }
    }
}

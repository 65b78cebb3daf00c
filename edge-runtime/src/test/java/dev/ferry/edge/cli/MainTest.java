package dev.ferry.edge.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.config.ConfigException;
import dev.ferry.edge.config.ConfigLoader;
import dev.ferry.edge.config.ConfigProblem;
import dev.ferry.edge.config.FerryConfig;
import dev.ferry.edge.config.HostPort;
import dev.ferry.edge.raet.KeyGen;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ferry} command as a careless user meets it: every mistake answered with a sentence
 * and an exit code, never an exception's name; {@code --listen} judged exactly as the config's
 * {@code http.listen}.
 */
@Tag("small")
class MainTest {
    /** One run of the command: exit code and what it printed. */
    private record Ran(int code, String out, String err) {
        void noRawException() {
            for (String s : List.of(out, err)) {
                assertFalse(s.contains("Exception") || s.contains("\tat "), "raw exception printed:\n" + s);
            }
        }
    }

    private static Ran ferry(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ran(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** What check-config says about {@code [http] listen = "value"}, as "found X, expected Y". */
    private static String fileVerdict(String value) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("[http]\nlisten = " + DefaultConfig.tomlString(value) + "\n", "f.toml"));
        assertEquals(1, e.problems().size(), e.getMessage());
        ConfigProblem p = e.problems().get(0);
        assertEquals("http.listen", p.key());
        return "found " + p.found() + ", expected " + p.expected();
    }

    @Test
    void helpTellsTheListenFlagAndTheExitCodes() {
        Ran r = ferry("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("ferry [--listen ADDR]"), r.out());
        assertTrue(r.out().contains("4 keygen: keys already there"), r.out());
    }

    @Test
    void listenIsJudgedAsTheConfigJudgesHttpListen() {
        assertEquals("ferry: --listen: found \"8080\", expected host:port such as 127.0.0.1:8080 or [::1]:8080"
                + " (missing port)", ferry("--listen", "8080").err().lines().findFirst().orElseThrow());
        for (String bad : List.of("8080", "localhost", "[::1", "[::1]8080", "::1:80", "127.0.0.1:65536",
                "bad host:80", "127.0.0.1:-1", "a\"b:1", "x\\y:1", "tab\there:1", "0.0.0.0:")) {
            String expected = "ferry: --listen: " + fileVerdict(bad);
            for (String[] args : List.of(new String[] {"--listen", bad}, new String[] {"run", "--listen=" + bad},
                    new String[] {"status", "--listen", bad})) {
                Ran r = ferry(args);
                assertEquals(2, r.code(), String.join(" ", args) + "\n" + r.err());
                assertEquals(expected, r.err().lines().findFirst().orElseThrow(), String.join(" ", args));
                r.noRawException();
            }
        }
    }

    @Test
    void listenGivesTheEmbeddedDefaultThatAddressAndNothingElse() throws Exception {
        FerryConfig def = FerryConfig.embeddedDefault();
        for (String addr : List.of("127.0.0.1:9090", "[::1]:0", "localhost:18080", "0.0.0.0:8081")) {
            FerryConfig c = DefaultConfig.load(addr);
            assertEquals(HostPort.parse(addr), c.http().listen(), addr);
            assertEquals(def.http().enabled(), c.http().enabled());
            assertEquals(def.http().maxConnections(), c.http().maxConnections());
            assertEquals(def.lines(), c.lines());
            assertEquals(def.devices(), c.devices());
            assertEquals(def.allRoutes(), c.allRoutes());
            assertEquals(def.peers(), c.peers());
            assertEquals(def.limits(), c.limits());
            assertEquals(def.logging(), c.logging());
            assertEquals(def.node(), c.node());
            assertEquals(def.security(), c.security());
            assertEquals(def.rendezvous(), c.rendezvous());
        }
        assertEquals(def.http().listen(), DefaultConfig.load(null).http().listen());
    }

    @Test
    void listenParsesInEveryFormAndOnlyOnce() {
        for (String[] args : List.of(new String[] {"--listen", "127.0.0.1:9090"}, new String[] {"--listen=127.0.0.1:9090"},
                new String[] {"run", "--listen", "127.0.0.1:9090"})) {
            Command c = Command.parse(args);
            assertEquals(Command.Kind.RUN, c.kind(), String.join(" ", args));
            assertEquals("127.0.0.1:9090", c.listen());
            assertEquals(null, c.configFile());
        }
        Command s = Command.parse(new String[] {"status", "--listen", "[::1]:9090"});
        assertEquals(Command.Kind.STATUS, s.kind());
        assertEquals("[::1]:9090", s.listen());
        assertUsage("--listen given twice", "--listen", "127.0.0.1:1", "--listen", "127.0.0.1:2");
        assertUsage("--config given twice", "run", "--config", "a.toml", "--config=b.toml");
        assertUsage("--listen needs an address", "--listen");
        assertUsage("--listen needs an address", "--listen=");
        assertUsage("--config needs a FILE", "run", "--config");
        assertUsage("set [http] listen in FILE", "run", "--config", "a.toml", "--listen", "127.0.0.1:1");
        assertUsage("set [http] listen in FILE", "status", "--listen", "127.0.0.1:1", "--config", "a.toml");
        assertUsage("unknown argument '--port'", "--port", "9090");
        assertUsage("check-config takes exactly one FILE", "check-config", "");
        assertUsage("keygen takes exactly one DIR", "keygen", "");
    }

    private static void assertUsage(String why, String... args) {
        Ran r = ferry(args);
        assertEquals(2, r.code(), String.join(" ", args));
        assertTrue(r.err().startsWith("ferry: ") && r.err().lines().findFirst().orElseThrow().contains(why),
                String.join(" ", args) + " said\n" + r.err());
        assertTrue(r.err().contains("usage: ferry"), r.err());
    }

    @Test
    void keygenOnExistingKeysWritesNothingAndExitsFour(@TempDir Path dir) throws Exception {
        Ran first = ferry("keygen", dir.toString());
        assertEquals(0, first.code(), first.err());
        byte[] key = Files.readAllBytes(dir.resolve(KeyGen.KEY_FILE));
        byte[] pub = Files.readAllBytes(dir.resolve(KeyGen.PUB_FILE));
        Ran again = ferry("keygen", dir.toString());
        assertEquals(Main.EXIT_KEYS_EXIST, again.code());
        assertTrue(again.err().startsWith("ferry keygen: " + dir.resolve(KeyGen.KEY_FILE)
                + " already exists; nothing was written."), again.err());
        assertTrue(again.err().contains("move " + dir.resolve(KeyGen.KEY_FILE)), again.err());
        again.noRawException();
        assertArrayEquals(key, Files.readAllBytes(dir.resolve(KeyGen.KEY_FILE)));
        assertArrayEquals(pub, Files.readAllBytes(dir.resolve(KeyGen.PUB_FILE)));
    }

    @Test
    void keygenWithOnlyThePublicHalfThereWritesNoPrivateKey(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(KeyGen.PUB_FILE), "ed25519-public 00\n");
        Ran r = ferry("keygen", dir.toString());
        assertEquals(Main.EXIT_KEYS_EXIST, r.code());
        assertTrue(r.err().startsWith("ferry keygen: " + dir.resolve(KeyGen.PUB_FILE) + " already exists"), r.err());
        assertFalse(Files.exists(dir.resolve(KeyGen.KEY_FILE)), "a private key without its public half");
        r.noRawException();
    }

    @Test
    void keygenIntoAFileSaysItIsNotADirectory(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        Ran r = ferry("keygen", file.toString());
        assertEquals(1, r.code());
        assertEquals("ferry keygen: cannot write keys in " + file + ": not a directory", r.err().strip());
        assertEquals("x", Files.readString(file));
    }

    @Test
    void checkConfigOnWhatIsNotAConfigSaysWhatItFound(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.toml");
        Ran r = ferry("check-config", missing.toString());
        assertEquals(2, r.code());
        assertEquals(missing + ": found no such file, expected a readable TOML file\n"
                + "ferry: 1 problem in " + missing, r.err().strip());
        Ran d = ferry("check-config", dir.toString());
        assertEquals(2, d.code());
        assertTrue(d.err().startsWith(dir + ": found a directory, expected a readable TOML file"), d.err());
        Ran run = ferry("run", "--config", missing.toString());
        assertEquals(2, run.code());
        assertTrue(run.err().endsWith("ferry: 1 problem in the configuration; not starting\n"), run.err());
        Ran nul = ferry("check-config", "a\0b.toml");
        assertEquals(2, nul.code());
        assertTrue(nul.err().startsWith("ferry: 'a\0b.toml' is not a file name"), nul.err());
        for (Ran x : List.of(r, d, run, nul)) {
            x.noRawException();
        }
    }

    @Test
    void aPortInUseIsOneSentence(@TempDir Path dir) throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path cfg = Files.writeString(dir.resolve("busy.toml"),
                    "[http]\nlisten = \"127.0.0.1:" + busy.getLocalPort() + "\"\n");
            Ran r = ferry("run", "--config", cfg.toString());
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().startsWith("ferry: failed to start: cannot bind 127.0.0.1:" + busy.getLocalPort() + ": "),
                    r.err());
            r.noRawException();
        }
    }

    @Test
    void startFailuresReadAsOneLineOfReasons() {
        assertEquals("cannot bind 127.0.0.1:80: address already in use",
                StartFailure.describe(new IOException("cannot bind 127.0.0.1:80", new BindException("Address already in use"))));
        assertEquals("/etc/ferry/node.key: no such file or directory",
                StartFailure.describe(new UncheckedIOException(new NoSuchFileException("/etc/ferry/node.key"))));
        assertEquals("bad key file /k: wrong length",
                StartFailure.describe(new IllegalArgumentException("bad key file /k: wrong length")));
        assertEquals("NullPointerException", StartFailure.describe(new NullPointerException()));
    }
}

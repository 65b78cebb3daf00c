package dev.ferry.edge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One broken file per kind of mistake; each asserts the exact file:line and message. */
@Tag("small")
class BrokenConfigTest {
    /** A valid line (lines 1..3) and device (lines 5..9) that the cases build on. */
    private static final String BASE = """
            [[lines]]
            name = "bus0"
            port = "/dev/ttyUSB0"

            [[devices]]
            name = "dev0"
            line = "bus0"
            address = 1
            mount = "/dev0"
            """;

    private static ConfigException broken(String text) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse(text, "bad.toml"));
    }

    private static void assertOnly(String expected, String text) {
        ConfigException e = broken(text);
        assertEquals(expected, e.getMessage());
        assertEquals(1, e.problems().size());
    }

    @Test
    void baseIsValid() throws Exception {
        assertEquals(1, ConfigLoader.parse(BASE, "ok.toml").devices().size());
    }

    @Test
    void syntaxErrorCarriesTheParsersPosition() {
        ConfigException e = broken("[http]\nlisten = \n");
        ConfigProblem p = e.problems().get(0);
        assertTrue(p.isSyntaxError());
        assertEquals(2, p.line());
        assertEquals(10, p.column());
        assertTrue(e.getMessage().startsWith("bad.toml:2: syntax error: Unexpected end of line, expected "),
                e.getMessage());
    }

    @Test
    void unknownKeyNamesTheKnownOnes() {
        assertOnly("bad.toml:3: http.port: found unknown key, expected one of enabled, listen, max_connections",
                "[http]\nlisten = \"127.0.0.1:8080\"\nport = 80\n");
        assertOnly("bad.toml:1: htpp: found unknown key, expected one of node, http, limits, logging, lines,"
                + " devices, routes, peers, rendezvous, security, northbound, Tcp, Resi, Nkn", "[htpp]\nlisten = 1\n");
    }

    @Test
    void wrongType() {
        assertOnly("bad.toml:4: lines[0].baud: found \"fast\", expected an integer", BASE.replace(
                "port = \"/dev/ttyUSB0\"\n", "port = \"/dev/ttyUSB0\"\nbaud = \"fast\"\n"));
        assertOnly("bad.toml:2: http.enabled: found 1, expected true or false", "[http]\nenabled = 1\n");
        assertOnly("bad.toml:1: lines: found a table, expected an array of tables ([[lines]])",
                "[lines]\nname = \"x\"\n");
    }

    @Test
    void outOfRange() {
        assertOnly("bad.toml:4: lines[0].window: found 9, expected an integer in 1..7",
                BASE.replace("port = \"/dev/ttyUSB0\"\n", "port = \"/dev/ttyUSB0\"\nwindow = 9\n"));
        assertOnly("bad.toml:2: limits.max_message: found 100, expected an integer in 256..1048576",
                "[limits]\nmax_message = 100\n");
        ConfigException baud = broken(BASE.replace("port = \"/dev/ttyUSB0\"\n", "port = \"/dev/ttyUSB0\"\nbaud = 115201\n"));
        assertTrue(baud.getMessage().startsWith("bad.toml:4: lines[0].baud: found 115201, expected a standard"
                + " baud rate (one of 1200, 2400, "), baud.getMessage());
        assertOnly("bad.toml:8: devices[0].address: found 255, expected an integer in 1..254",
                BASE.replace("address = 1", "address = 255"));
    }

    @Test
    void missingRequiredKeyIsReportedAtItsTable() {
        assertOnly("bad.toml:5: devices[0].mount: found nothing, expected an RP path such as \"/dev0\" (required)",
                BASE.replace("mount = \"/dev0\"\n", ""));
        assertOnly("bad.toml:1: lines[0].name: found nothing, expected a string (required)",
                BASE.replace("name = \"bus0\"\n", "").replace("line = \"bus0\"", "line = \"x\"")
                        .replace("[[devices]]\nname = \"dev0\"\nline = \"x\"\naddress = 1\nmount = \"/dev0\"\n", ""));
        assertOnly("bad.toml:1: lines[0].port: found nothing, expected port (a tty path) or host_profile"
                + " (one is required unless simulate = true)", "[[lines]]\nname = \"bus0\"\n");
    }

    @Test
    void duplicateAddressOnOneLine() {
        assertOnly("bad.toml:14: devices[1].address: found 1, expected an address not used by device \"dev0\""
                + " (line 8) on line \"bus0\"", BASE + "\n[[devices]]\nname = \"dev1\"\nline = \"bus0\"\n"
                + "address = 1\nmount = \"/dev1\"\n");
    }

    @Test
    void sameAddressOnTwoLinesIsFine() throws Exception {
        String text = BASE + "\n[[lines]]\nname = \"bus1\"\nport = \"/dev/ttyUSB1\"\n"
                + "[[devices]]\nname = \"dev1\"\nline = \"bus1\"\naddress = 1\nmount = \"/dev1\"\n";
        assertEquals(2, ConfigLoader.parse(text, "ok.toml").devices().size());
    }

    @Test
    void deviceOnMissingLine() {
        assertOnly("bad.toml:7: devices[0].line: found \"bus9\", expected the name of a [[lines]] entry"
                + " (one of \"bus0\")", BASE.replace("line = \"bus0\"", "line = \"bus9\""));
    }

    @Test
    void duplicateNamesAndMounts() {
        ConfigException e = broken(BASE + "[[devices]]\nname = \"dev0\"\nline = \"bus0\"\naddress = 2\nmount = \"/dev0/\"\n");
        assertEquals("bad.toml:11: devices[1].name: found \"dev0\", expected a device name not already used"
                + " (devices[0].name on line 6 has it)\n"
                + "bad.toml:14: devices[1].mount: found \"/dev0\", expected a mount not already used"
                + " (devices[0].mount on line 9 has it)", e.getMessage());
    }

    @Test
    void routeToMissingDeviceOrPeer() {
        assertOnly("bad.toml:12: routes[0].to: found \"device:nope\", expected a device defined in [[devices]]"
                + " (one of \"dev0\")", BASE + "[[routes]]\nprefix = \"/x\"\nto = \"device:nope\"\n");
        assertOnly("bad.toml:12: routes[0].to: found \"peer:far\", expected a peer defined in [[peers]] or [Tcp]"
                + " (none defined)", BASE + "[[routes]]\nprefix = \"/x\"\nto = \"peer:far\"\n");
        assertOnly("bad.toml:12: routes[0].to: found \"dev0\", expected \"device:<name>\", \"peer:<id>\" or"
                + " \"runtime\"", BASE + "[[routes]]\nprefix = \"/x\"\nto = \"dev0\"\n");
    }

    @Test
    void duplicateRoutePrefixIsUnreachable() {
        assertOnly("bad.toml:14: routes[1].prefix: found \"/x\", expected a route prefix not already used"
                + " (routes[0].prefix on line 11 has it; identical prefixes make one unreachable)",
                BASE + "[[routes]]\nprefix = \"/x\"\nto = \"device:dev0\"\n"
                        + "[[routes]]\nprefix = \"/x/\"\nto = \"device:dev0\"\n");
        assertOnly("bad.toml:11: routes[0].prefix: found \"/dev0\", expected a route prefix other than device"
                + " \"dev0\"'s mount (identical prefixes make one unreachable)",
                BASE + "[[routes]]\nprefix = \"/dev0\"\nto = \"device:dev0\"\nadd = \"/led\"\n");
    }

    @Test
    void nestedPrefixesAreAllowed() throws Exception {
        FerryConfig c = ConfigLoader.parse(BASE + "[[routes]]\nprefix = \"/dev0/led\"\nto = \"runtime\"\n"
                + "strip = \"/dev0/led\"\nadd = \"/#runtime\"\n"
                + "[[routes]]\nprefix = \"/a/b\"\nto = \"device:dev0\"\nstrip = \"/a\"\nadd = \"/led\"\n", "ok.toml");
        assertEquals(new RouteConfig("/a/b", new RouteTarget(RouteTarget.Kind.DEVICE, "dev0"), "/a", "/led"),
                c.routes().get(1));
    }

    @Test
    void aRouteToTheRuntimeStripsNothingUnlessToldAndMustReachIt() throws Exception {
        FerryConfig c = ConfigLoader.parse(BASE + "[[routes]]\nprefix = \"/#runtime\"\nto = \"runtime\"\n", "ok.toml");
        assertEquals(new RouteConfig("/#runtime", new RouteTarget(RouteTarget.Kind.RUNTIME, ""), "/", ""),
                c.routes().get(0));
        assertOnly("bad.toml:12: routes[0].to: found \"runtime\" for \"/status\", which reaches \"/status\", expected"
                + " a route that reaches /#runtime (e.g. strip = \"/status\" and add = \"/#runtime\")",
                BASE + "[[routes]]\nprefix = \"/status\"\nto = \"runtime\"\n");
        assertOnly("bad.toml:12: routes[0].to: found \"runtime\" for \"/#runtime\", which reaches \"/\", expected"
                + " a route that reaches /#runtime (e.g. strip = \"/#runtime\" and add = \"/#runtime\")",
                BASE + "[[routes]]\nprefix = \"/#runtime\"\nto = \"runtime\"\nstrip = \"/#runtime\"\n");
    }

    @Test
    void stripMustBeAPrefixOfThePrefix() {
        assertOnly("bad.toml:13: routes[0].strip: found \"/ab\", expected a path prefix of the route's prefix \"/a/b\"",
                BASE + "[[routes]]\nprefix = \"/a/b\"\nto = \"device:dev0\"\nstrip = \"/ab\"\n");
    }

    @Test
    void gpioRs485NeedsAPin() {
        assertOnly("bad.toml:4: lines[0].rs485_pin: found nothing, expected a BCM pin number 0..27"
                + " (required when rs485 = \"gpio\")",
                BASE.replace("port = \"/dev/ttyUSB0\"\n", "port = \"/dev/ttyUSB0\"\nrs485 = \"gpio\"\n"));
        assertOnly("bad.toml:4: lines[0].rs485_pin: found 4, expected no rs485_pin unless rs485 = \"gpio\"",
                BASE.replace("port = \"/dev/ttyUSB0\"\n", "port = \"/dev/ttyUSB0\"\nrs485_pin = 4\n"));
    }

    @Test
    void badHostPort() {
        assertOnly("bad.toml:2: http.listen: found \"localhost\", expected host:port such as 127.0.0.1:8080"
                + " or [::1]:8080 (missing port)", "[http]\nlisten = \"localhost\"\n");
        assertOnly("bad.toml:2: http.listen: found \"::1:8080\", expected host:port such as 127.0.0.1:8080"
                + " or [::1]:8080 (IPv6 addresses need brackets)", "[http]\nlisten = \"::1:8080\"\n");
        assertOnly("bad.toml:4: peers[0].transports[0].connect: found \"10.0.0.1:0\", expected host:port such as"
                + " 127.0.0.1:8080 or [::1]:8080 (port 0 only allowed for listening)",
                "[[peers]]\nid = \"p\"\n[[peers.transports]]\nconnect = \"10.0.0.1:0\"\n");
    }

    @Test
    void badPath() {
        assertOnly("bad.toml:9: devices[0].mount: found \"dev0\", expected an RP path without '#' (starts with"
                + " '/', printable ASCII, at most 255 bytes, no empty, '.' or '..' segments)",
                BASE.replace("mount = \"/dev0\"", "mount = \"dev0\""));
        assertOnly("bad.toml:9: devices[0].mount: found \"/dev0#x\", expected an RP path without '#' (starts with"
                + " '/', printable ASCII, at most 255 bytes, no empty, '.' or '..' segments)",
                BASE.replace("mount = \"/dev0\"", "mount = \"/dev0#x\""));
        assertOnly("bad.toml:11: routes[0].prefix: found \"/a/../b\", expected an RP path (starts with"
                + " '/', printable ASCII, at most 255 bytes, no empty, '.' or '..' segments)",
                BASE + "[[routes]]\nprefix = \"/a/../b\"\nto = \"runtime\"\n");
    }

    @Test
    void peerChecks() {
        assertOnly("bad.toml:1: peers[0].transports: found nothing, expected at least one [[peers.transports]] table",
                "[[peers]]\nid = \"p\"\n");
        assertOnly("bad.toml:5: peers[0].transports[0].listen: found \"0.0.0.0:1\", expected either connect or"
                + " listen, not both", "[[peers]]\nid = \"p\"\n[[peers.transports]]\nconnect = \"h:1\"\n"
                + "listen = \"0.0.0.0:1\"\n");
        assertOnly("bad.toml:4: peers[0].id: found \"resi\", expected an id other than \"resi\", which the [Tcp]"
                + " section uses", "[Tcp]\nAddress = \"127.0.0.1:9000\"\n[[peers]]\nid = \"resi\"\n"
                + "[[peers.transports]]\nlisten = \"0.0.0.0:1\"\n");
    }

    @Test
    void badCopyLimitAndResendRateAreInRange() {
        assertOnly("bad.toml:3: peers[0].max_bad_copies: found 0, expected an integer in 1..100000",
                "[[peers]]\nid = \"p\"\nmax_bad_copies = 0\n[[peers.transports]]\nlisten = \"0.0.0.0:1\"\n");
        assertOnly("bad.toml:3: peers[0].resend_rate: found 2000000, expected an integer in 1..1048576",
                "[[peers]]\nid = \"p\"\nresend_rate = 2000000\n[[peers.transports]]\nlisten = \"0.0.0.0:1\"\n");
    }

    @Test
    void nknExplicitlyEnabledIsRefused() {
        ConfigException e = broken("[Tcp]\nListen = \"0.0.0.0:4001\"\n\n[Nkn]\nEnabled = true\n");
        assertEquals(List.of("Nkn"), e.problems().stream().map(ConfigProblem::key).toList());
        assertEquals(4, e.problems().get(0).line());
    }

    @Test
    void securityModesNeedKeys() {
        assertOnly("bad.toml:1: security.key_file: found nothing, expected a private key file path"
                + " (required when mode = \"signed\")",
                "[security]\nmode = \"signed\"\ntrusted_keys_dir = \"/etc/ferry/trusted\"\n");
    }

    @Test
    void simulatedLineTakesNoPort() {
        assertOnly("bad.toml:3: lines[0].port: found \"/dev/ttyS0\", expected no port when simulate = true",
                "[[lines]]\nname = \"sim0\"\nport = \"/dev/ttyS0\"\nsimulate = true\n");
    }

    @Test
    void threeMistakesAreAllReportedInFileOrder() {
        String text = BASE.replace("address = 1", "address = 0").replace("port = \"/dev/ttyUSB0\"\n",
                "port = \"/dev/ttyUSB0\"\nframe_size = 4096\n") + "[logging]\nlevel = \"loud\"\n";
        ConfigException e = broken(text);
        assertEquals("bad.toml:4: lines[0].frame_size: found 4096, expected an integer in 32..2048\n"
                + "bad.toml:9: devices[0].address: found 0, expected an integer in 1..254\n"
                + "bad.toml:12: logging.level: found \"loud\", expected one of \"trace\", \"debug\", \"info\","
                + " \"warn\", \"error\"", e.getMessage());
        assertEquals(List.of(4, 9, 12), e.problems().stream().map(ConfigProblem::line).toList());
    }

    @Test
    void deviceQueueShorterThanAWindowIsRefused() throws Exception {
        assertOnly("bad.toml:12: limits.device_queue: found 2, expected at least 4, the window of line \"bus0\""
                + " (a device's queue holds a whole window of messages; raise device_queue or lower the window)",
                BASE + "\n[limits]\ndevice_queue = 2\n");
        assertEquals(2, ConfigLoader.parse(BASE.replace("port = \"/dev/ttyUSB0\"\n",
                "port = \"/dev/ttyUSB0\"\nwindow = 2\n") + "\n[limits]\ndevice_queue = 2\n", "ok.toml")
                .limits().deviceQueue());
    }

    @Test
    void unreadableFileIsOneProblemNamingIt() {
        Path missing = Path.of("/nonexistent/ferry.toml");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing));
        assertEquals(1, e.problems().size());
        assertEquals("/nonexistent/ferry.toml: found no such file, expected a readable TOML file", e.getMessage());
    }

    @Test
    void directoryIsNamedAsOne(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir));
        assertEquals(dir + ": found a directory, expected a readable TOML file", e.getMessage());
    }
}

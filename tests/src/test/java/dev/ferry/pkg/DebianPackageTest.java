package dev.ferry.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The Debian package end to end, as root on the CI machine: inspect the .deb built by
 * {@code mvn package}, install it, run the installed commands, start the installed runtime the way
 * the systemd unit would (its ExecStartPre and ExecStart, as its user, with its environment)
 * against the host-sim firmware, kill -9 it and start it again, upgrade over an edited config,
 * then purge and check that nothing the package added is left.
 *
 * <p>Skipped (assumption) unless root, dpkg and the Java 17 runtime package are present and the
 * .deb has been built. The methods run in order and build on each other.
 */
@Tag("system")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DebianPackageTest {
    private static final Path CONFIG = Path.of("/etc/ferry/ferry.toml");
    private static final Path TLS_CERT = Path.of("/etc/ferry/tls/ferry.pem");
    private static final Path TLS_KEY = Path.of("/etc/ferry/tls/ferry.key");
    private static final Path TOKENS = Path.of("/etc/ferry/tokens");
    private static final Path UNIT = Path.of("/lib/systemd/system/ferry.service");
    private static final int PORT = 18473;
    private static final List<String> WATCHED = List.of("/etc", "/usr/share/ferry", "/usr/share/doc/ferry",
            "/usr/bin", "/lib/systemd/system", "/lib/udev/rules.d", "/var/lib", "/var/cache");

    private static Path deb;
    private static Path work;
    private static Set<String> filesBefore;
    private static boolean gpioExistedBefore;
    private static Process hostSim;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void preconditions() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "package tests need root (dpkg -i)");
        assumeTrue(Sh.exists("dpkg") && Sh.exists("dpkg-deb"), "dpkg is missing");
        assumeTrue(Sh.run("dpkg", "-s", "openjdk-17-jre-headless").exit() == 0,
                "openjdk-17-jre-headless (the package's dependency) is not installed");
        assumeTrue(Sh.exists("setpriv") && Sh.exists("socat") && Sh.exists("make"), "setpriv, socat or make missing");
        Path target = root().resolve("edge-runtime/target");
        try (Stream<Path> s = Files.list(target)) {
            deb = s.filter(p -> p.getFileName().toString().matches("ferry_.*_all\\.deb")).findFirst().orElse(null);
        } catch (IOException e) {
            deb = null;
        }
        assumeTrue(deb != null, "no edge-runtime/target/ferry_*_all.deb (run mvn package first)");
        if (Sh.run("dpkg", "-s", "ferry").exit() == 0) {
            Sh.run("dpkg", "--purge", "ferry").expect(0, "purge of an earlier ferry");
        }
        work = Files.createTempDirectory("ferry-pkg");
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        filesBefore = snapshot();
        gpioExistedBefore = Sh.run("getent", "group", "gpio").exit() == 0;
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (hostSim != null) {
            hostSim.destroyForcibly();
        }
        if (deb != null && Sh.run("dpkg", "-s", "ferry").exit() == 0) {
            Sh.run("dpkg", "--purge", "ferry");
        }
        if (work != null) {
            Sh.run("rm", "-rf", work.toString());
        }
    }

    static Path root() {
        String r = System.getProperty("ferry.root");
        return (r != null ? Path.of(r) : Path.of("..")).toAbsolutePath().normalize();
    }

    @Test
    @Order(1)
    void packageMetadataAndContents() throws Exception {
        String info = Sh.run("dpkg-deb", "-I", deb.toString()).expect(0, "dpkg-deb -I").out();
        String field = Sh.run("dpkg-deb", "-f", deb.toString(), "Package", "Architecture", "Depends")
                .expect(0, "dpkg-deb -f").out();
        assertTrue(field.contains("Package: ferry"), field);
        assertTrue(field.contains("Architecture: all"), field);
        assertTrue(field.contains("Depends: openjdk-17-jre-headless"), field);
        assertTrue(field.contains("openssl"), "postinst makes the HTTPS pair with openssl: " + field);
        assertTrue(info.contains("conffiles") && info.contains("postinst") && info.contains("postrm"), info);
        String conffiles = Sh.run("sh", "-c", "dpkg-deb --ctrl-tarfile '" + deb + "' | tar -xOf - ./conffiles")
                .expect(0, "conffiles").out();
        assertEquals("/etc/ferry/ferry.toml", conffiles.strip());
        String contents = Sh.run("dpkg-deb", "-c", deb.toString()).expect(0, "dpkg-deb -c").out();
        for (String path : List.of("./usr/share/ferry/ferry.jar", "./usr/bin/ferry", "./etc/ferry/ferry.toml",
                "./lib/systemd/system/ferry.service", "./lib/udev/rules.d/61-ferry-serial.rules",
                "./usr/share/doc/ferry/copyright", "./usr/share/doc/ferry/examples/ferry.sample.toml",
                "./usr/share/doc/ferry/security.md")) {
            assertTrue(contents.contains(" " + path + "\n"), path + " missing from\n" + contents);
        }
        assertTrue(contents.contains("-rwxr-xr-x root/root") && contents.contains("./usr/bin/ferry"), contents);
    }

    @Test
    @Order(2)
    void installsAndRunsFromInstalledPaths() throws Exception {
        Sh.run("dpkg", "-i", deb.toString()).expect(0, "dpkg -i");
        String id = Sh.run("id", "ferry").expect(0, "the ferry user").out();
        assertTrue(id.contains("(dialout)") && id.contains("(gpio)"), id);
        String version = Sh.run("/usr/bin/ferry", "version").expect(0, "ferry version").out();
        assertTrue(version.startsWith("ferry 0."), version);
        String check = Sh.run("/usr/bin/ferry", "check-config", CONFIG.toString()).expect(0, "check-config").out();
        assertTrue(check.contains("OK"), check);
        Sh.Result verify = Sh.run("systemd-analyze", "verify", UNIT.toString());
        assertEquals(0, verify.exit(), verify.out());
        assertFalse(verify.out().contains("ferry.service"), "systemd-analyze verify complains:\n" + verify.out());
        // issue 14: the packaged unit is hardened to an exposure of at most 2.5
        String security = Sh.run("systemd-analyze", "security", "--offline=yes", UNIT.toString())
                .expect(0, "systemd-analyze security").out();
        java.util.regex.Matcher score = java.util.regex.Pattern
                .compile("Overall exposure level for ferry\\.service: ([0-9.]+)").matcher(security);
        assertTrue(score.find(), security);
        assertTrue(Double.parseDouble(score.group(1)) <= 2.5, "exposure " + score.group(1) + ":\n" + security);
        assertTrue(Files.isSymbolicLink(Path.of("/etc/systemd/system/multi-user.target.wants/ferry.service")),
                "the unit is enabled");
        httpsPairAndTokenStore();
        // The embedded default needs the source tree's boards/: explained, pointing at the config.
        Sh.Result bare = Sh.run(java.util.Map.of(), Path.of("/"), "/usr/bin/ferry");
        assertEquals(2, bare.exit(), bare.out());
        assertTrue(bare.out().contains("/etc/ferry/ferry.toml"), bare.out());
    }

    /**
     * Issue 14: the package makes a self-signed HTTPS pair (as ssl-cert does) and an empty token
     * store; the key and the store are readable by the service user, by nobody else; the installed
     * `ferry token` edits the store without changing its owner or mode.
     */
    private static void httpsPairAndTokenStore() throws Exception {
        String sans = Sh.run("openssl", "x509", "-in", TLS_CERT.toString(), "-noout", "-ext", "subjectAltName")
                .expect(0, "the packaged certificate").out();
        assertTrue(sans.contains("DNS:localhost") && sans.contains("IP Address:127.0.0.1"), sans);
        assertTrue(Sh.run("openssl", "pkey", "-in", TLS_KEY.toString(), "-noout").exit() == 0, "the key parses");
        assertEquals("640 root ferry", Sh.run("stat", "-c", "%a %U %G", TLS_KEY.toString()).out().strip());
        assertEquals("640 root ferry", Sh.run("stat", "-c", "%a %U %G", TOKENS.toString()).out().strip());
        assertEquals(0, Sh.run("setpriv", "--reuid=ferry", "--regid=ferry", "--init-groups", "cat",
                TLS_KEY.toString()).exit(), "the service user reads the key");
        assertNotEquals(0, Sh.run("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "cat",
                TLS_KEY.toString()).exit(), "others do not");
        Sh.Result add = Sh.run("/usr/bin/ferry", "token", "add", "pkg-test", "--read", "/#runtime");
        assertEquals(0, add.exit(), add.out());
        assertTrue(add.out().lines().anyMatch(l -> l.matches("ferry_[A-Za-z0-9_-]{43}")), add.out());
        assertTrue(Sh.run("/usr/bin/ferry", "token", "list").expect(0, "token list").out().contains("pkg-test"));
        assertEquals(0, Sh.run("/usr/bin/ferry", "token", "revoke", "pkg-test").exit());
        assertEquals("640 root ferry", Sh.run("stat", "-c", "%a %U %G", TOKENS.toString()).out().strip(),
                "ferry token keeps the store's owner and mode");
    }

    @Test
    @Order(3)
    void serviceServesRestartsCleanlyAfterKill9() throws Exception {
        UnitFile unit = UnitFile.read(UNIT);
        assertEquals("ferry", unit.user());
        String pty = startHostSim();
        Files.writeString(CONFIG, String.join("\n", "# edited by DebianPackageTest",
                "[http]", "listen = \"127.0.0.1:" + PORT + "\"",
                "[[lines]]", "name = \"bus0\"", "port = \"" + pty + "\"", "frame_size = 256", "window = 4",
                "[[devices]]", "name = \"mcu\"", "line = \"bus0\"", "address = 1", "mount = \"/mcu\"", ""));
        for (String pre : unit.execStartPre()) {
            try (NotifyReceiver n = new NotifyReceiver(work.resolve("pre.sock")).awaitBound()) {
                ServiceProcess p = ServiceProcess.start(unit, pre, n, 0, sandbox(unit));
                String out = p.exited.get(60, TimeUnit.SECONDS);
                assertEquals(0, p.process.waitFor(), "ExecStartPre " + pre + ":\n" + out);
            }
        }
        long firstPid = runServeAndKill(unit, "first start");
        long secondPid = runServeAndKill(unit, "start after kill -9");
        assertNotEquals(firstPid, secondPid);
        try (Stream<Path> s = Files.list(Path.of("/var/cache/ferry/tmp"))) {
            long natives = s.filter(p -> p.getFileName().toString().startsWith("libnetty_")).count();
            assertTrue(natives <= 1, "extracted natives of killed runs pile up: " + natives);
        }
        // A final start must stop cleanly on SIGTERM (systemctl stop) with exit 0 or 143.
        try (NotifyReceiver n = new NotifyReceiver(work.resolve("notify-stop.sock")).awaitBound();
             ServiceProcess p = ServiceProcess.start(unit, unit.execStart(), n, 2_000_000, sandbox(unit))) {
            n.ready.get(60, TimeUnit.SECONDS);
            p.terminate();
            String out = p.exited.get(30, TimeUnit.SECONDS);
            int code = p.process.waitFor();
            assertTrue(code == 0 || code == 143, "exit " + code + "\n" + out);
            assertTrue(out.contains("ferry stopped"), "exit " + code + "\n" + out);
            assertTrue(n.received().contains("STOPPING=1"), n.received());
        }
    }

    /**
     * The unit's system call filter as {syscall-sandbox binary, allow-list file}: built from
     * {@code tests/sandbox} with libseccomp, so every start of the service in this test runs under
     * the same filter systemd would apply (systemd is not PID 1 on the test machine).
     */
    private static Path[] sandbox(UnitFile unit) throws Exception {
        assertFalse(unit.syscallFilter().isEmpty(), "the unit has no SystemCallFilter=");
        Path bin = work.resolve("syscall-sandbox");
        if (!Files.exists(bin)) {
            Sh.run("gcc", "-O2", "-std=c99", "-D_GNU_SOURCE", "-o", bin.toString(),
                    root().resolve("tests/sandbox/syscall-sandbox.c").toString(), "-lseccomp")
                    .expect(0, "building syscall-sandbox (needs libseccomp-dev)");
        }
        Path list = SyscallFilter.write(unit.syscallFilter(), work.resolve("allowed-syscalls"));
        Sh.run("chmod", "a+r", list.toString(), bin.toString()).expect(0, "chmod");
        return new Path[] {bin, list};
    }

    /** One service life: READY, a device GET, the watchdog, `ferry status`; then kill -9. */
    private long runServeAndKill(UnitFile unit, String what) throws Exception {
        try (NotifyReceiver n = new NotifyReceiver(work.resolve("notify-" + System.nanoTime() + ".sock")).awaitBound();
             ServiceProcess p = ServiceProcess.start(unit, unit.execStart(), n, 2_000_000, sandbox(unit))) {
            try {
                n.ready.get(90, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError(what + ": no READY=1; output:\n" + p.log());
            }
            awaitAttached("mcu");
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/mcu/info"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), what + ": " + r.body());
            assertTrue(r.body().contains("\"board\":\"pkg-a\""), r.body());
            n.watchdog.get(30, TimeUnit.SECONDS);
            Sh.Result status = Sh.run("/usr/bin/ferry", "status");
            assertEquals(0, status.exit(), status.out());
            assertTrue(status.out().contains("ATTACHED") && status.out().contains("HEALTH: OK"), status.out());
            long pid = p.process.pid();
            String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
            assertTrue(cmdline.contains(" -XX:TrimNativeHeapInterval=5000 "),
                    what + ": the service runs without the native heap trimmer (this JDK has it): " + cmdline);
            p.kill();                                       // SIGKILL: no shutdown hook runs
            p.exited.get(30, TimeUnit.SECONDS);
            assertEquals(137, p.process.waitFor(), what + ": killed by SIGKILL");
            return pid;
        }
    }

    @Test
    @Order(4)
    void statusFailsWhenTheServiceIsDown() throws Exception {
        Sh.Result status = Sh.run("/usr/bin/ferry", "status");
        assertEquals(3, status.exit(), status.out());
        assertTrue(status.out().contains("cannot reach"), status.out());
    }

    @Test
    @Order(5)
    void brokenEditFailsExecStartPreWithAClearMessage() throws Exception {
        UnitFile unit = UnitFile.read(UNIT);
        String good = Files.readString(CONFIG);
        Files.writeString(CONFIG, good + "\n[limits]\nmax_streams = \"many\"\n");
        try (NotifyReceiver n = new NotifyReceiver(work.resolve("pre.sock")).awaitBound()) {
            ServiceProcess p = ServiceProcess.start(unit, unit.execStartPre().get(0), n, 0);
            String out = p.exited.get(60, TimeUnit.SECONDS);
            assertEquals(2, p.process.waitFor(), out);
            assertTrue(out.contains("ferry.toml:") && out.contains("max_streams"), out);
        } finally {
            Files.writeString(CONFIG, good);
        }
    }

    @Test
    @Order(6)
    void upgradeKeepsTheEditedConfig() throws Exception {
        String edited = Files.readString(CONFIG);
        assertTrue(edited.contains("edited by DebianPackageTest"));
        String pair = Files.readString(TLS_CERT) + Files.readString(TLS_KEY);
        Sh.run("dpkg", "-i", "--force-confold", deb.toString()).expect(0, "dpkg -i over the installed package");
        assertEquals(edited, Files.readString(CONFIG));
        assertEquals(pair, Files.readString(TLS_CERT) + Files.readString(TLS_KEY), "the HTTPS pair is made only once");
        assertTrue(Files.exists(Path.of("/etc/systemd/system/multi-user.target.wants/ferry.service")));
    }

    @Test
    @Order(7)
    void purgeLeavesNothingBehind() throws Exception {
        if (hostSim != null) {
            hostSim.destroyForcibly().waitFor();
        }
        Sh.run("dpkg", "--purge", "ferry").expect(0, "dpkg --purge");
        assertNotEquals(0, Sh.run("getent", "passwd", "ferry").exit(), "the ferry user is gone");
        assertNotEquals(0, Sh.run("getent", "group", "ferry").exit(), "the ferry group is gone");
        assertEquals(gpioExistedBefore, Sh.run("getent", "group", "gpio").exit() == 0,
                "the gpio group is removed only if the package added it");
        Set<String> left = new TreeSet<>(snapshot());
        left.removeAll(filesBefore);
        assertEquals(Set.of(), left, "left after purge");
    }

    private static String base() {
        return "http://127.0.0.1:" + PORT;
    }

    private static String startHostSim() throws Exception {
        Path boards = root().resolve("boards");
        Sh.run("make", "-s", "-C", boards.resolve("host-sim").toString()).expect(0, "make host-sim");
        hostSim = new ProcessBuilder(boards.resolve("host-sim/build/ferry-host-sim").toString(), "--addr", "1",
                "--frame", "256", "--window", "4", "--board", "pkg-a")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(hostSim.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertTrue(first != null && first.startsWith("PTY "), "host-sim printed " + first);
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // discard
                }
            } catch (IOException e) {
                // ended
            }
        }, "host-sim-drain");
        drain.setDaemon(true);
        drain.start();
        String pty = first.substring(4).trim();
        Sh.run("chown", "ferry:ferry", pty).expect(0, "chown the pty to the service user");
        return pty;
    }

    /** Waits for {@code device} to be ATTACHED, woken by the runtime's pushes on /#runtime/devices. */
    private static void awaitAttached(String device) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base() + "/%23runtime/devices"))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(60)).build();
        HttpResponse<java.io.InputStream> r = HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("data:") && line.contains("\"name\":\"" + device + "\"")
                        && line.contains("\"state\":\"ATTACHED\"")) {
                    return;
                }
            }
        }
        throw new AssertionError(device + " never ATTACHED");
    }

    private static Set<String> snapshot() throws IOException {
        Set<String> all = new TreeSet<>();
        for (String r : WATCHED) {
            Path root = Path.of(r);
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(root)) {
                all.addAll(s.map(Path::toString)
                        .filter(p -> !p.startsWith("/var/lib/dpkg") && !p.startsWith("/var/lib/apt")
                                && !p.startsWith("/var/cache/apt") && !p.startsWith("/var/cache/debconf")
                                && !p.startsWith("/var/cache/man") && !p.startsWith("/var/cache/ldconfig")
                                && !p.startsWith("/var/lib/systemd/timers") && !p.startsWith("/var/lib/systemd/coredump"))
                        .collect(Collectors.toSet()));
            } catch (java.io.UncheckedIOException e) {
                // a file vanished while walking (another process's temp file): ignore it
            }
        }
        return all;
    }
}

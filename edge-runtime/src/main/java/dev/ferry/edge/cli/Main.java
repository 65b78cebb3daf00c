package dev.ferry.edge.cli;

import dev.ferry.edge.app.FerryRuntime;
import dev.ferry.edge.config.ConfigException;
import dev.ferry.edge.config.ConfigLoader;
import dev.ferry.edge.config.ConfigProblem;
import dev.ferry.edge.config.FerryConfig;
import dev.ferry.edge.config.IoReason;
import dev.ferry.edge.raet.KeyGen;
import dev.ferry.edge.service.StatusCommand;
import dev.ferry.edge.service.SystemdService;
import dev.ferry.edge.sim.FirmwareProcess;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code ferry} command.
 *
 * <pre>
 *   ferry [--listen ADDR]         run on the embedded default (a simulated MCU at /dev0), its
 *                                 HTTP facade on ADDR (default 127.0.0.1:8080)
 *   ferry run --config FILE       run (also: ferry -config FILE, ferry --config FILE)
 *   ferry check-config FILE       validate FILE, print every problem as file:line, exit 2 if any
 *   ferry keygen DIR              write RAET keys with 0600 permissions; never overwrites
 *   ferry version                 print the version
 *   ferry status [--config FILE | --listen ADDR]  devices, lines, peers and health of the running service
 * </pre>
 * Exit codes: 0 success, 1 failure while running, 2 bad usage or bad configuration
 * ({@code status}: 0 healthy, 1 degraded, 3 unreachable; {@code keygen}: 4 a key file already
 * exists, nothing written). Mistakes a user makes (a missing file, a port in use, a bad flag) are
 * told in a sentence, never as a stack trace.
 */
public final class Main {
    private Main() { }

    /** The packaged configuration, used by {@code status} when no --config is given. */
    static final Path PACKAGED_CONFIG = Path.of("/etc/ferry/ferry.toml");

    /** {@code keygen}: a key file is already there; nothing was written. */
    static final int EXIT_KEYS_EXIST = 4;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command and returns its exit code (blocks while the runtime runs). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Command c = Command.parse(args);
        try {
            return run(c, out, err);
        } catch (InvalidPathException e) {
            err.println("ferry: '" + e.getInput() + "' is not a file name (" + e.getReason() + ")");
            return 2;
        }
    }

    private static int run(Command c, PrintStream out, PrintStream err) {
        switch (c.kind()) {
            case VERSION:
                out.println("ferry " + Version.get());
                return 0;
            case HELP:
                out.println(Command.USAGE);
                return 0;
            case USAGE_ERROR:
                err.println("ferry: " + c.error());
                err.println(Command.USAGE);
                return 2;
            case CHECK_CONFIG:
                return checkConfig(Path.of(c.configFile()), out, err);
            case KEYGEN:
                return keygen(Path.of(c.configFile()), out, err);
            case STATUS:
                return status(c, out, err);
            case RUN:
            default:
                return runtime(c, err);
        }
    }

    private static int checkConfig(Path file, PrintStream out, PrintStream err) {
        try {
            FerryConfig cfg = ConfigLoader.load(file);
            out.println(file + ": OK (" + cfg.lines().size() + " lines, " + cfg.devices().size()
                    + " devices, " + cfg.allRoutes().size() + " routes, " + cfg.peers().size() + " peers)");
            return 0;
        } catch (ConfigException e) {
            printProblems(e, err, "in " + file);
            return 2;
        }
    }

    private static int keygen(Path dir, PrintStream out, PrintStream err) {
        try {
            KeyGen.Written w = KeyGen.write(dir);
            out.println("private key: " + w.keyFile() + " (key_file in [security])");
            out.println("public key:  " + w.publicFile() + " (copy into each peer's trusted_keys_dir)");
            return 0;
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof FileAlreadyExistsException x) {
                err.println("ferry keygen: " + x.getFile() + " already exists; nothing was written.");
                err.println("  Keys are never overwritten: peers that trust this node's public key would lose it.");
                err.println("  To give this node a new identity, move " + dir.resolve(KeyGen.KEY_FILE) + " and "
                        + dir.resolve(KeyGen.PUB_FILE) + " away first.");
                return EXIT_KEYS_EXIST;
            }
            err.println("ferry keygen: cannot write keys in " + dir + ": " + IoReason.of(e.getCause()));
            return 1;
        }
    }

    private static int status(Command c, PrintStream out, PrintStream err) {
        try {
            FerryConfig cfg;
            if (c.configFile() != null) {
                cfg = ConfigLoader.load(Path.of(c.configFile()));
            } else if (c.listen() == null && Files.isReadable(PACKAGED_CONFIG)) {
                cfg = ConfigLoader.load(PACKAGED_CONFIG);
            } else {
                cfg = DefaultConfig.load(c.listen());
            }
            return StatusCommand.run(cfg, out, err);
        } catch (ConfigException e) {
            printProblems(e, err, "in the configuration; cannot tell where the service listens");
            return 2;
        }
    }

    /** The embedded default simulates its MCU with host-sim, built from the source tree's boards/. */
    private static boolean embeddedDefaultPossible(PrintStream err) {
        Path hostSim = FirmwareProcess.locateBoards().resolve("host-sim");
        if (Files.isRegularFile(hostSim.resolve("Makefile")) || Files.isExecutable(hostSim.resolve("build/ferry-host-sim"))) {
            return true;
        }
        err.println("ferry: no configuration given. The embedded default simulates an MCU with the host-sim");
        err.println("  firmware, built from the Ferry source tree (boards/host-sim), which is not here");
        err.println("  (looked in " + hostSim + "; set -Dferry.boards=DIR to point at one).");
        err.println("  To drive real boards, describe your serial lines and devices in " + PACKAGED_CONFIG);
        err.println("  (every key: /usr/share/doc/ferry/examples/ferry.sample.toml), then run");
        err.println("    ferry run --config " + PACKAGED_CONFIG + "    or    sudo systemctl restart ferry");
        return false;
    }

    /** Each problem on its own line, then a count; {@code outcome} ends the count's sentence. */
    private static void printProblems(ConfigException e, PrintStream err, String outcome) {
        for (ConfigProblem p : e.problems()) {
            err.println(p.message());
        }
        int n = e.problems().size();
        err.println("ferry: " + n + (n == 1 ? " problem " : " problems ") + outcome);
    }

    private static int runtime(Command c, PrintStream err) {
        FerryConfig cfg;
        try {
            if (c.configFile() == null) {
                cfg = DefaultConfig.load(c.listen());
                if (!embeddedDefaultPossible(err)) {
                    return 2;
                }
            } else {
                cfg = ConfigLoader.load(Path.of(c.configFile()));
            }
        } catch (ConfigException e) {
            printProblems(e, err, "in the configuration; not starting");
            return 2;
        }
        Logging.configure(cfg.logging());
        CountDownLatch stopped = new CountDownLatch(1);
        FerryRuntime rt;
        try {
            rt = FerryRuntime.start(cfg);
        } catch (Exception e) {
            err.println("ferry: failed to start: " + StartFailure.describe(e));
            StartFailure.log(e);
            return 1;
        }
        AtomicReference<SystemdService> systemd = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            SystemdService s = systemd.getAndSet(SystemdService.NONE);
            if (s != null) {
                s.close();
            }
            rt.close();
            stopped.countDown();
            Logging.shutdown();
        }, "ferry-shutdown"));
        // READY only once the hook is in place: a stop right after READY still closes cleanly.
        SystemdService service = SystemdService.started(cfg, rt.httpPort());   // no-op outside systemd
        if (!systemd.compareAndSet(null, service)) {
            service.close();                 // the stop came in the meantime: say STOPPING ourselves
        }
        if (c.configFile() == null) {
            rt.printWelcome(System.out);
        }
        try {
            rt.awaitTermination();
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}

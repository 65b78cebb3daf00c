package dev.ferry.edge.cli;

import dev.ferry.edge.app.FerryRuntime;
import dev.ferry.edge.config.ConfigException;
import dev.ferry.edge.config.ConfigLoader;
import dev.ferry.edge.config.ConfigProblem;
import dev.ferry.edge.config.FerryConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code ferry} command.
 *
 * <pre>
 *   ferry                         run on the embedded default (a simulated MCU at /dev0)
 *   ferry run --config FILE       run (also: ferry -config FILE, ferry --config FILE)
 *   ferry check-config FILE       validate FILE, print every problem as file:line, exit 2 if any
 *   ferry version                 print the version
 * </pre>
 * Exit codes: 0 success, 1 failure while running, 2 bad usage or bad configuration.
 */
public final class Main {
    private Main() { }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command and returns its exit code (blocks while the runtime runs). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Command c = Command.parse(args);
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
            case RUN:
            default:
                return runtime(c.configFile(), err);
        }
    }

    private static int checkConfig(Path file, PrintStream out, PrintStream err) {
        try {
            FerryConfig cfg = ConfigLoader.load(file);
            out.println(file + ": OK (" + cfg.lines().size() + " lines, " + cfg.devices().size()
                    + " devices, " + cfg.allRoutes().size() + " routes, " + cfg.peers().size() + " peers)");
            return 0;
        } catch (ConfigException e) {
            printProblems(e, err);
            return 2;
        }
    }

    private static void printProblems(ConfigException e, PrintStream err) {
        for (ConfigProblem p : e.problems()) {
            err.println(p.message());
        }
        err.println("ferry: " + e.problems().size() + " problem(s) in the configuration; not starting");
    }

    private static int runtime(String configFile, PrintStream err) {
        FerryConfig cfg;
        try {
            cfg = configFile == null ? FerryConfig.embeddedDefault() : ConfigLoader.load(Path.of(configFile));
        } catch (ConfigException e) {
            printProblems(e, err);
            return 2;
        }
        Logging.configure(cfg.logging());
        CountDownLatch stopped = new CountDownLatch(1);
        FerryRuntime rt;
        try {
            rt = FerryRuntime.start(cfg);
        } catch (Exception e) {
            err.println("ferry: failed to start: " + e.getMessage());
            org.tinylog.Logger.error(e, "start-up failed");
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            rt.close();
            stopped.countDown();
            Logging.shutdown();
        }, "ferry-shutdown"));
        if (configFile == null) {
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

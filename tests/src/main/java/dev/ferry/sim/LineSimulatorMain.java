package dev.ferry.sim;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link LineSimulator} as its own process.
 *
 * <pre>
 * java -cp ... dev.ferry.sim.LineSimulatorMain --host PATH --device PATH [--device PATH ...]
 *      [--baud 115200] [--ber 0] [--drop 0] [--seed 1] [--bus] [--work DIR]
 * </pre>
 *
 * Prints {@code READY} on stdout once every pty exists. Then reads commands from stdin, one per
 * line: {@code unplug}, {@code replug}, {@code stats} (prints the counters), {@code quit}.
 * End of input or SIGTERM also stops it and removes the ptys.
 */
public final class LineSimulatorMain {

    private LineSimulatorMain() {
    }

    public static void main(String[] args) throws Exception {
        Path hostPath = null;
        List<Path> devices = new ArrayList<>();
        Path work = null;
        int baud = 115200;
        double ber = 0;
        double drop = 0;
        long seed = 1;
        boolean bus = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--host" -> hostPath = Path.of(args[++i]);
                case "--device" -> devices.add(Path.of(args[++i]));
                case "--work" -> work = Path.of(args[++i]);
                case "--baud" -> baud = Integer.parseInt(args[++i]);
                case "--ber" -> ber = Double.parseDouble(args[++i]);
                case "--drop" -> drop = Double.parseDouble(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--bus" -> bus = true;
                default -> {
                    System.err.println("unknown argument " + a);
                    System.exit(2);
                }
            }
        }
        if (hostPath == null || devices.isEmpty()) {
            System.err.println("usage: --host PATH --device PATH [--device PATH ...] [--baud N] [--ber X]"
                    + " [--drop P] [--seed S] [--bus] [--work DIR]");
            System.exit(2);
        }
        if (work == null) {
            work = Files.createTempDirectory("ferry-sim");
        }
        LineSimulator sim = new LineSimulator(
                new LineSimulator.Config(hostPath, devices, work, baud, ber, drop, seed, bus)).start();
        Runtime.getRuntime().addShutdownHook(new Thread(sim::close, "sim-shutdown"));
        System.out.println("READY");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            switch (line.trim()) {
                case "unplug" -> sim.unplugHost();
                case "replug" -> sim.replugHost();
                case "stats" -> System.out.println(sim.counters());
                case "quit" -> {
                    sim.close();
                    return;
                }
                default -> System.out.println("? " + line);
            }
            System.out.flush();
        }
        sim.close();
    }
}

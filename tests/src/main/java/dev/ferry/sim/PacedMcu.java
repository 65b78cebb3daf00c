package dev.ferry.sim;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One host-sim firmware process behind the {@link LineSimulator} (a UART paced at the baud
 * rate): what Ferry opens is {@link #hostPath()}. {@link #kill()} is the MCU losing power (the
 * line goes silent), {@link #restart()} it booting again on the same line. Closing kills the
 * firmware and stops the simulator. The firmware's output goes to {@code work/host-sim.log}.
 */
public final class PacedMcu implements AutoCloseable {
    private final LineSimulator sim;
    private final List<String> command;
    private final Path log;
    private Process firmware;

    private PacedMcu(LineSimulator sim, List<String> command, Path log) {
        this.sim = sim;
        this.command = command;
        this.log = log;
    }

    /** Starts the simulator at {@code baud} and host-sim at station {@code address} with {@code extra} options. */
    public static PacedMcu start(Path work, int baud, int address, String... extra)
            throws IOException, InterruptedException {
        LineSimulator sim = new LineSimulator(new LineSimulator.Config(work.resolve("host"),
                List.of(work.resolve("mcu")), work, baud, 0, 0, 1, false)).start();
        List<String> cmd = new ArrayList<>(List.of(NativeTools.hostSim().toString(), "--tty",
                sim.devicePaths().get(0).toString(), "--baud", Integer.toString(baud), "--addr",
                Integer.toString(address)));
        cmd.addAll(List.of(extra));
        PacedMcu m = new PacedMcu(sim, cmd, work.resolve("host-sim.log"));
        try {
            m.restart();
        } catch (IOException e) {
            sim.close();
            throw e;
        }
        return m;
    }

    /** The tty Ferry opens. */
    public Path hostPath() {
        return sim.hostPath();
    }

    public LineSimulator sim() {
        return sim;
    }

    /** (Re)starts the firmware: a fresh MCU with empty stream slots and its reading counter at 0. */
    public synchronized void restart() throws IOException {
        if (firmware != null && firmware.isAlive()) {
            throw new IllegalStateException("the firmware is running");
        }
        firmware = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** SIGKILL: the MCU loses power. Returns once the process is gone. */
    public synchronized void kill() throws InterruptedException {
        if (firmware != null) {
            firmware.destroyForcibly();
            firmware.waitFor(5, TimeUnit.SECONDS);
        }
    }

    public synchronized boolean alive() {
        return firmware != null && firmware.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
        sim.close();
    }
}

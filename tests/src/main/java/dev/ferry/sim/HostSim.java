package dev.ferry.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The host-sim firmware as a process serving {@code stations} MCUs at addresses 1..S on one
 * line ({@code ferry-host-sim --stations S}): either on a pseudo-terminal it opens itself
 * ({@link #pty()}, for a Ferry line's {@code port}), or on a tty given ({@code --tty}, e.g. one end
 * of a {@link PtyPair} whose other end Ferry already has open: the MCUs power on when it starts).
 * Closing it kills it (SIGKILL) and waits for it.
 */
public final class HostSim implements AutoCloseable {
    private final Process process;
    private final String pty;

    private HostSim(Process process, String pty) {
        this.process = process;
        this.pty = pty;
    }

    /** Starts it on a pty of its own; returns once it printed the pty's path. */
    public static HostSim start(int stations) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(NativeTools.hostSim().toString(), "--addr", "1", "--stations",
                Integer.toString(stations))).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        if (first == null || !first.startsWith("PTY ")) {
            p.destroyForcibly();
            throw new IOException("host-sim did not print its pty (got: " + first + ")");
        }
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // discard
                }
            } catch (IOException e) {
                // gone
            }
        }, "host-sim-out");
        drain.setDaemon(true);
        drain.start();
        return new HostSim(p, first.substring(4).trim());
    }

    /** Starts it on {@code tty} (which must exist). */
    public static HostSim onTty(int stations, Path tty) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(NativeTools.hostSim().toString(), "--tty", tty.toString(),
                "--addr", "1", "--stations", Integer.toString(stations)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return new HostSim(p, tty.toString());
    }

    /** The tty it serves on. */
    public String pty() {
        return pty;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}

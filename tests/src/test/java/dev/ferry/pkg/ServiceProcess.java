package dev.ferry.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The installed service started the way systemd would start it, without systemd: the unit's
 * ExecStart command line, as its User= (with the user's supplementary groups), with its
 * Environment=, optionally under its SystemCallFilter= (see {@link SyscallFilter}), and a
 * NOTIFY_SOCKET / WATCHDOG_USEC pair pointing at a test receiver.
 * {@link #exited} completes with the process output when the process ends.
 */
final class ServiceProcess implements AutoCloseable {
    final Process process;
    final CompletableFuture<String> exited = new CompletableFuture<>();
    private final StringBuilder log = new StringBuilder();

    private ServiceProcess(Process process) {
        this.process = process;
    }

    /**
     * Starts {@code commandLine} (split on blanks, as the unit's ExecStart) as {@code user}.
     *
     * @param notify the receiver whose socket goes into NOTIFY_SOCKET
     */
    static ServiceProcess start(UnitFile unit, String commandLine, NotifyReceiver notify, long watchdogUsec)
            throws IOException {
        return start(unit, commandLine, notify, watchdogUsec, null);
    }

    /**
     * Like {@link #start(UnitFile, String, NotifyReceiver, long)}, under the system call filter
     * of {@code sandbox} (the syscall-sandbox binary and the allow-list file) when not null.
     */
    static ServiceProcess start(UnitFile unit, String commandLine, NotifyReceiver notify, long watchdogUsec,
                                Path[] sandbox) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + unit.user(), "--regid=" + unit.group(),
                "--init-groups", "--"));
        if (sandbox != null) {
            cmd.addAll(List.of(sandbox[0].toString(), sandbox[1].toString()));
        }
        cmd.addAll(List.of(commandLine.trim().split("\\s+")));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LANG", "C.UTF-8");
        env.put("HOME", "/var/lib/ferry");
        env.putAll(unit.environment());
        env.put("NOTIFY_SOCKET", notify.socket().toString());
        env.put("WATCHDOG_USEC", Long.toString(watchdogUsec));
        pb.directory(Path.of(unit.workingDirectory()).toFile());
        ServiceProcess s = new ServiceProcess(pb.start());
        Thread t = new Thread(() -> s.pump(s.process.getInputStream()), "service-output");
        t.setDaemon(true);
        t.start();
        return s;
    }

    private void pump(InputStream in) {
        byte[] buf = new byte[4096];
        try {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                synchronized (log) {
                    if (log.length() < 1_000_000) {
                        log.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        exited.complete(log());
    }

    String log() {
        synchronized (log) {
            return log.toString();
        }
    }

    /** SIGTERM, as {@code systemctl stop}; unlike Process.destroy() it leaves the output pipe open. */
    void terminate() {
        process.toHandle().destroy();
    }

    /** SIGKILL; the output pipe stays open to read the rest. */
    void kill() {
        process.toHandle().destroyForcibly();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}

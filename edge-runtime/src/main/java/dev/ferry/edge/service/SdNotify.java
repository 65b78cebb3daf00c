package dev.ferry.edge.service;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * The systemd notification protocol ({@code sd_notify(3)}): newline-separated {@code KEY=VALUE}
 * assignments sent as one datagram to the unix socket named by {@code $NOTIFY_SOCKET}.
 *
 * <p>The JDK cannot send unix datagrams, so the datagram goes out through Netty's native
 * transport ({@code io.netty.channel.unix.Socket}, shipped for x86_64 and aarch64). Where that
 * native library is unavailable (armhf boards) each notification runs {@code systemd-notify}
 * instead, which needs {@code NotifyAccess=all} in the unit (the packaged unit sets it).
 *
 * <p>Callers may rely on: {@link #send} never throws and never blocks longer than about a second;
 * it returns false when the notification could not be delivered.
 */
public final class SdNotify implements AutoCloseable {
    private final String socketPath;
    private final Socket socket;          // null: command fallback
    private final ByteBuffer buffer;

    private SdNotify(String socketPath, Socket socket) {
        this.socketPath = socketPath;
        this.socket = socket;
        this.buffer = socket == null ? null : ByteBuffer.allocateDirect(4096);
    }

    /** The notifier for {@code env}'s {@code NOTIFY_SOCKET}, or empty when not run by systemd. */
    public static Optional<SdNotify> fromEnvironment(Map<String, String> env) {
        String path = env.get("NOTIFY_SOCKET");
        if (path == null || path.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SdNotify(path, nativeSocket()));
    }

    private static Socket nativeSocket() {
        if (Boolean.getBoolean("ferry.sdnotify.command")) {
            return null;
        }
        try {
            if (Epoll.isAvailable()) {
                return Socket.newSocketDomainDgram();
            }
            Logger.debug("sd_notify: native transport unavailable ({}); using systemd-notify",
                    Epoll.unavailabilityCause().toString());
        } catch (LinkageError | RuntimeException e) {
            Logger.debug("sd_notify: native transport failed ({}); using systemd-notify", e.toString());
        }
        return null;
    }

    /** True when datagrams go out directly (no helper process per notification). */
    public boolean isNative() {
        return socket != null;
    }

    /**
     * Sends {@code state}, e.g. {@code "READY=1"} or {@code "WATCHDOG=1"}; several assignments
     * are separated by newlines.
     *
     * @return true if the service manager's socket accepted it
     */
    public synchronized boolean send(String state) {
        try {
            return socket != null ? sendNative(state) : sendCommand(state);
        } catch (IOException | RuntimeException e) {
            Logger.warn("sd_notify {} failed: {}", state.replace('\n', ' '), e.toString());
            return false;
        }
    }

    private boolean sendNative(String state) throws IOException {
        byte[] bytes = state.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > buffer.capacity()) {
            return false;
        }
        buffer.clear();
        buffer.put(bytes).flip();
        byte[] path = socketPath.getBytes(StandardCharsets.UTF_8);
        if (path[0] == '@') {
            path[0] = 0;                                   // abstract namespace
        }
        return socket.sendToDomainSocket(buffer, 0, bytes.length, path) == bytes.length;
    }

    private boolean sendCommand(String state) throws IOException {
        // systemd-notify waits until the manager processed the message (sd_notify_barrier), so
        // the sender is still alive to be attributed to this service.
        ProcessBuilder pb = new ProcessBuilder("systemd-notify");
        pb.command().addAll(java.util.Arrays.asList(state.split("\n")));
        pb.environment().put("NOTIFY_SOCKET", socketPath);
        Process p = pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!p.waitFor(1, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }

    @Override
    public synchronized void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                Logger.debug("sd_notify socket close: {}", e.toString());
            }
        }
    }
}

package dev.ferry.northbound;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker (Debian's {@code mosquitto}) on a loopback port, with a config file the
 * caller writes: anonymous or password access ({@link #passwordFile}), optionally TLS
 * ({@link TestPki#mosquittoLines}). {@link #kill()} is SIGKILL (no goodbye to clients),
 * {@link #start()} starts it again on the same port. It runs as the user that starts it (as root
 * it would otherwise drop to the {@code mosquitto} user, who cannot read a test's files).
 */
public final class Mosquitto implements AutoCloseable {
    private final Path dir;
    private final int port;
    private Process process;

    private Mosquitto(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** A broker in {@code dir}; {@code extra} lines are added to its config (TLS, passwords). */
    public static Mosquitto create(Path dir, String... extra) throws IOException {
        int port = freePort();
        StringBuilder conf = new StringBuilder("listener " + port + " 127.0.0.1\npersistence false\n"
                + "user root\nlog_dest file " + dir.resolve("mosquitto.log") + "\nlog_type all\n");
        boolean auth = false;
        for (String l : extra) {
            conf.append(l).append('\n');
            auth |= l.startsWith("password_file");
        }
        if (!auth) {
            conf.append("allow_anonymous true\n");
        }
        Files.writeString(dir.resolve("mosquitto.conf"), conf.toString());
        return new Mosquitto(dir, port);
    }

    /**
     * A Mosquitto password file in {@code dir} (made by {@code mosquitto_passwd}) with the users
     * and passwords given as pairs.
     */
    public static Path passwordFile(Path dir, String... userPassword) throws IOException, InterruptedException {
        Path f = dir.resolve("mosquitto.passwd");
        Files.deleteIfExists(f);
        Files.createFile(f);
        for (int i = 0; i + 1 < userPassword.length; i += 2) {
            Process p = new ProcessBuilder("mosquitto_passwd", "-b", f.toString(), userPassword[i], userPassword[i + 1])
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("mosquitto_passwd failed: " + out);
            }
        }
        return f;
    }

    /** A free loopback port: Mosquitto cannot be given port 0. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public Mosquitto start() throws IOException, InterruptedException {
        process = new ProcessBuilder("/usr/sbin/mosquitto", "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("mosquitto.out").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("mosquitto exited: " + Files.readString(dir.resolve("mosquitto.out")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return this;
            } catch (IOException e) {
                process.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
        throw new IOException("mosquitto did not listen on " + port);
    }

    /** The broker's log so far. */
    public String log() {
        try {
            return Files.readString(dir.resolve("mosquitto.log"));
        } catch (IOException e) {
            return "";
        }
    }

    /** SIGKILL: the broker vanishes mid-stream. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}

package dev.ferry.northbound;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Ferry ({@code dev.ferry.edge.cli.Main}) as its own process on the test's class path, so that it
 * can be killed with SIGKILL; its host-sim firmware is a child of it. Closing kills both.
 */
final class FerryProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private FerryProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static FerryProcess start(Path dir, String toml) throws IOException {
        Path config = dir.resolve("ferry.toml");
        Files.writeString(config, toml);
        Path log = dir.resolve("ferry-" + System.nanoTime() + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx64m", "-Dferry.boards=" + root().resolve("boards"),
                "-cp", System.getProperty("java.class.path"), "dev.ferry.edge.cli.Main", "--config", config.toString()))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new FerryProcess(p, log);
    }

    static Path root() {
        String r = System.getProperty("ferry.root");
        return (r != null ? Path.of(r) : Path.of("..")).toAbsolutePath().normalize();
    }

    /** The host-sim firmware processes Ferry started. */
    List<ProcessHandle> firmware() {
        return process.descendants().filter(h -> h.info().command().orElse("").contains("host-sim")).toList();
    }

    /** SIGKILL, no goodbye: the broker must send the Will. Its firmware is killed too. */
    void kill9() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        children.forEach(ProcessHandle::destroyForcibly);
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill9();
    }
}

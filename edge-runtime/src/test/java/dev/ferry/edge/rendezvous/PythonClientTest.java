package dev.ferry.edge.rendezvous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.edge.config.HostPort;
import dev.ferry.edge.metrics.Metrics;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Python client (Debian's python3-protobuf, classes from protoc's descriptor set of
 * rendezvous.proto) registers, enters rendezvous, receives announcements and discovers. Skipped
 * when /usr/bin/python3 lacks google.protobuf or protoc is not in the local Maven repository.
 */
@Tag("system")
class PythonClientTest {
    private static final String PY = "/usr/bin/python3";

    @TempDir
    Path tmp;

    private static Path protoc() {
        Path dir = Path.of(System.getProperty("user.home"), ".m2/repository/com/google/protobuf/protoc/4.31.1");
        Path exe = dir.resolve("protoc-4.31.1-linux-x86_64.exe");
        return Files.isRegularFile(exe) ? exe : null;
    }

    private static int run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).inheritIO().start();
        return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    @Test
    void pythonClientRegistersDiscoversAndIsAnnouncedTo() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(PY)) && run(tmp, PY, "-c", "import google.protobuf") == 0,
                "python3-protobuf missing (apt-get install python3-protobuf)");
        Path protoc = protoc();
        assumeTrue(protoc != null, "protoc 4.31.1 not in ~/.m2 (run an online mvn build of edge-runtime once)");
        Path exe = tmp.resolve("protoc");
        Files.copy(protoc, exe);
        exe.toFile().setExecutable(true);
        Path root = Path.of(System.getProperty("ferry.root", ".."));
        Path protoDir = root.resolve("edge-runtime/src/main/protobuf");
        if (!Files.isDirectory(protoDir)) {
            protoDir = Path.of("src/main/protobuf");
        }
        Path desc = tmp.resolve("rendezvous.desc");
        assertEquals(0, run(tmp, exe.toString(), "-I" + protoDir.toAbsolutePath(),
                "--descriptor_set_out=" + desc, "rendezvous.proto"));
        Path script = tmp.resolve("rdv_client.py");
        try (var in = getClass().getResourceAsStream("/rendezvous/rdv_client.py")) {
            Files.copy(in, script);
        }

        Metrics metrics = new Metrics();
        try (RendezvousService service = RendezvousService.start(new HostPort("127.0.0.1", 0),
                     RendezvousLimits.defaults(), 8, metrics);
             LocalRegistrar local = new LocalRegistrar(service.registry())) {
            local.register(Registration.of("py-app", "QmJava", "http://java.example/"));
            Process py = new ProcessBuilder(PY, script.toString(), desc.toString(), "127.0.0.1",
                    String.valueOf(service.localAddress().getPort()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(py.getInputStream(),
                    StandardCharsets.UTF_8))) {
                assertEquals("SNAPSHOT QmJava", out.readLine());
                local.register(Registration.of("py-app", "QmJava2", "http://java2.example/"));
                assertEquals("REGISTER py-app QmJava2 http://java2.example/", out.readLine());
                local.unregister("py-app", "QmJava2");
                assertEquals("UNREGISTER py-app QmJava2", out.readLine());
                assertEquals("DISCOVER QmJava,QmPy", out.readLine());
                assertEquals(true, py.waitFor(30, TimeUnit.SECONDS));
                assertEquals(0, py.exitValue());
            } finally {
                py.destroyForcibly();
            }
            assertEquals(List.of(Registration.of("py-app", "QmJava", "http://java.example/")),
                    service.registry().registrations("py-app").subList(0, 1));
            assertEquals(1, metrics.value("ferry_rendezvous_received_total{type=\"discover\"}"));
        }
    }
}

package dev.ferry.edge.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made by Debian's {@code openssl}, as an administrator would make them: a
 * self-signed server pair for {@code localhost}/127.0.0.1 (EC P-256, PKCS#8 key), a client CA, and
 * client certificates signed by it. Files live in the given directory.
 */
public final class TestPki {
    public final Path dir;
    public final Path serverCert;
    public final Path serverKey;
    public final Path clientCa;

    private TestPki(Path dir) {
        this.dir = dir;
        this.serverCert = dir.resolve("server.pem");
        this.serverKey = dir.resolve("server.key");
        this.clientCa = dir.resolve("clients-ca.pem");
    }

    /** Makes the server pair and the client CA in {@code dir}. */
    public static TestPki create(Path dir) throws IOException, InterruptedException {
        TestPki p = new TestPki(dir);
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", "server.key", "-out", "server.pem");
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-subj", "/CN=ferry-test-clients", "-keyout", "clients-ca.key", "-out", "clients-ca.pem");
        return p;
    }

    /** A client certificate with subject CN {@code cn}, signed by the client CA: {@code <cn>.pem}, {@code <cn>.key}. */
    public Path[] client(String cn) throws IOException, InterruptedException {
        openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=" + cn,
                "-keyout", cn + ".key", "-out", cn + ".csr");
        openssl(dir, "x509", "-req", "-in", cn + ".csr", "-CA", "clients-ca.pem", "-CAkey", "clients-ca.key",
                "-CAcreateserial", "-days", "2", "-out", cn + ".pem");
        return new Path[] {dir.resolve(cn + ".pem"), dir.resolve(cn + ".key")};
    }

    /** Runs openssl in {@code dir}; fails with its output when it fails. */
    public static String openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        return run(dir, null, cmd);
    }

    /** Runs a command in {@code dir} with {@code stdin} (null: none); its stdout and stderr, or an IOException. */
    public static String run(Path dir, String stdin, List<String> cmd) throws IOException, InterruptedException {
        Result r = exec(dir, stdin, cmd);
        if (r.exit() != 0) {
            throw new IOException(String.join(" ", cmd) + " exited " + r.exit() + ":\n" + r.output());
        }
        return r.output();
    }

    /** A finished command. */
    public record Result(int exit, String output) { }

    /** Runs a command, stdout and stderr together, for at most 60 s. */
    public static Result exec(Path dir, String stdin, List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}

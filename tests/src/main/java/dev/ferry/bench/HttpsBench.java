package dev.ferry.bench;

import dev.ferry.edge.security.Grant;
import dev.ferry.edge.security.TlsFiles;
import dev.ferry.edge.security.TokenFile;
import dev.ferry.edge.security.TokenStore;
import dev.ferry.sim.NativeTools;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Issue 14's facade figures, side by side in one run: requests/s and keep-alive latency of a
 * runtime resource over plain HTTP, HTTP with a bearer token, and HTTPS (TLS 1.3) with a token;
 * the TLS handshake time (full and resumed); the RSS of the {@code java -jar ferry.jar} child with
 * TLS on, with the Debian launcher's JVM flags.
 *
 * <pre>
 * java -cp ... dev.ferry.bench.HttpsBench [--connections 16] [--seconds 10] [--latency-samples 2000]
 *      [--handshakes 200] [--rounds 2] [--path /%23runtime/node] [--jar edge-runtime/target/ferry.jar]
 *      [--flags launcher|none] [--extra "-Dx=y ..."] [--loader wrk|java]
 * </pre>
 *
 * Each configuration gets its own child (same flags); the rounds alternate the configurations so
 * that a change in the machine's load hits all of them. The load generator is {@code wrk} when
 * installed (C, OpenSSL; {@code --loader java} for {@link HttpBenchLoad}, whose JDK TLS client
 * costs more CPU than the server it measures), on the same cores as the server, so the client's
 * own TLS work is in the HTTPS figure too. Latency and handshakes are measured from Java. The certificate is an EC P-256 pair made
 * with openssl, as the Debian package makes it.
 */
public final class HttpsBench {
    private HttpsBench() {
    }

    private record Setup(String name, boolean tls, boolean token) { }

    private static String token;

    public static void main(String[] argv) throws Exception {
        BenchSamples.quietLogs();
        Map<String, String> a = BenchSamples.args(argv);
        int connections = BenchSamples.intArg(a, "connections", 16);
        int seconds = BenchSamples.intArg(a, "seconds", 10);
        int samples = BenchSamples.intArg(a, "latency-samples", 2000);
        int handshakes = BenchSamples.intArg(a, "handshakes", 200);
        int rounds = BenchSamples.intArg(a, "rounds", 2);
        String path = a.getOrDefault("path", "/%23runtime/node");
        Path jar = Path.of(a.getOrDefault("jar", NativeTools.repoRoot().resolve("edge-runtime/target/ferry.jar").toString()));
        List<String> flags = a.getOrDefault("flags", "launcher").equals("none")
                ? List.of(a.getOrDefault("extra", "").trim().split("\\s+")).stream().filter(f -> !f.isEmpty()).toList()
                : FerryChild.launcherFlags(a);
        Path dir = Files.createTempDirectory("ferry-https-bench");
        run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", "ferry.key", "-out", "ferry.pem");
        token = TokenStore.newToken();
        Path tokens = dir.resolve("tokens");
        TokenFile.write(tokens, List.of(new Grant("bench", TokenStore.hash(token),
                TokenFile.parse("x cert read:/#runtime", "t").grants().get(0).scopes())));
        SSLContext tls = TlsFiles.client(dir.resolve("ferry.pem"));

        boolean wrk = a.getOrDefault("loader", Files.isExecutable(Path.of("/usr/bin/wrk")) ? "wrk" : "java").equals("wrk");
        System.out.printf(Locale.ROOT, "GET %s, %d keep-alive connections for %d s (%s), latency: %d "
                + "sequential requests on one connection; %d CPUs shared by client and server; JVM flags of the "
                + "Debian launcher%n", path, connections, seconds, wrk ? "wrk -t2" : "Java load generator", samples, Runtime.getRuntime().availableProcessors());
        System.out.println("| round | setup | req/s | errors | latency median ms | p99 ms | RSS idle MiB | RSS under load MiB (max) |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        List<Setup> setups = List.of(new Setup("http", false, false), new Setup("http+token", false, true),
                new Setup("https+token", true, true));
        double[] sum = new double[setups.size()];
        for (int r = 1; r <= rounds; r++) {
            for (int i = 0; i < setups.size(); i++) {
                Setup s = setups.get(i);
                int port = FerryChild.freePort();
                String toml = String.join("\n", "[http]", "listen = \"127.0.0.1:" + port + "\"",
                        "tokens_file = \"" + tokens + "\"",
                        s.tls ? "tls_cert_file = \"" + dir.resolve("ferry.pem") + "\"" : "",
                        s.tls ? "tls_key_file = \"" + dir.resolve("ferry.key") + "\"" : "",
                        "max_connections_per_source = 256", "[logging]", "level = \"warn\"", "");
                try (FerryChild ferry = FerryChild.start(jar, flags, "2", toml)) {
                    ferry.awaitPort(port);
                    SocketFactory sockets = s.tls ? tls.getSocketFactory() : SocketFactory.getDefault();
                    String headers = s.token ? "Authorization: Bearer " + token + "\r\n" : "";
                    HttpBenchLoad.run(sockets, "127.0.0.1", port, path, headers, connections, 2);   // warm-up
                    Thread.sleep(2000);                           // settle before the idle reading
                    long idle = ferry.rssKib()[0];
                    long[] max = {0};
                    Thread sampler = new Thread(() -> {
                        while (!Thread.currentThread().isInterrupted()) {
                            max[0] = Math.max(max[0], ferry.rssKib()[0]);
                            try {
                                Thread.sleep(500);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }, "rss-sampler");
                    sampler.start();
                    double[] load = wrk
                            ? HttpBenchFacade.runWrk((s.tls ? "https" : "http") + "://127.0.0.1:" + port + path, connections,
                                    seconds, s.token ? List.of("-H", "Authorization: Bearer " + token) : List.of())
                            : HttpBenchLoad.run(sockets, "127.0.0.1", port, path, headers, connections, seconds);
                    sampler.interrupt();
                    sampler.join();
                    double[] lat = latency(sockets, port, path, headers, samples);
                    sum[i] += load[0];
                    System.out.printf(Locale.ROOT, "| %d | %s | %.0f | %.0f | %.3f | %.3f | %.1f | %.1f |%n", r, s.name,
                            load[0], load[1], lat[0], lat[1], idle / 1024.0, Math.max(max[0], ferry.rssKib()[0]) / 1024.0);
                    if (s.tls && r == rounds) {
                        handshakes(dir, port, handshakes);
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "HTTPS+token / HTTP req/s over %d rounds: %.2f; HTTP+token / HTTP: %.2f%n", rounds,
                sum[2] / sum[0], sum[1] / sum[0]);
    }

    /** {median, p99} in ms of {@code n} sequential GETs on one keep-alive connection (after 200 unmeasured). */
    private static double[] latency(SocketFactory sockets, int port, String path, String headers, int n) throws IOException {
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + headers + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        long[] t = new long[n];
        try (Socket s = sockets.createSocket("127.0.0.1", port)) {
            s.setTcpNoDelay(true);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream(), 8192);
            for (int i = -200; i < n; i++) {
                long t0 = System.nanoTime();
                out.write(request);
                out.flush();
                int status = HttpBenchLoad.readResponse(in);
                if (status != 200) {
                    throw new IOException("status " + status);
                }
                if (i >= 0) {
                    t[i] = System.nanoTime() - t0;
                }
            }
        }
        java.util.Arrays.sort(t);
        return new double[] {t[n / 2] / 1e6, t[(int) (n * 0.99)] / 1e6};
    }

    /** Prints the handshake time: full (a fresh client context each time) and resumed (one context). */
    private static void handshakes(Path dir, int port, int n) throws Exception {
        long[] full = new long[n];
        long[] resumed = new long[n];
        SSLContext shared = TlsFiles.client(dir.resolve("ferry.pem"));
        handshake(shared, port);                              // the session to resume
        for (int i = -20; i < n; i++) {
            SSLContext fresh = TlsFiles.client(dir.resolve("ferry.pem"));
            long f = handshake(fresh, port);
            long r = handshake(shared, port);
            if (i >= 0) {
                full[i] = f;
                resumed[i] = r;
            }
        }
        java.util.Arrays.sort(full);
        java.util.Arrays.sort(resumed);
        System.out.printf(Locale.ROOT, "TLS 1.3 handshake (connect + handshake, client side, %d each): full median %.2f ms"
                + " p99 %.2f ms; resumed median %.2f ms p99 %.2f ms%n", n, full[n / 2] / 1e6, full[(int) (n * 0.99)] / 1e6,
                resumed[n / 2] / 1e6, resumed[(int) (n * 0.99)] / 1e6);
    }

    /**
     * The time to connect and complete a handshake; then (untimed) one request, whose reading
     * also takes in the server's session ticket, so that the context can resume next time.
     */
    private static long handshake(SSLContext ctx, int port) throws IOException {
        long t0 = System.nanoTime();
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            s.startHandshake();
            long took = System.nanoTime() - t0;
            s.getOutputStream().write(("GET /%23runtime/node HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            HttpBenchLoad.readResponse(new BufferedInputStream(s.getInputStream()));
            return took;
        }
    }

    private static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(cmd))).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + ":\n" + out);
        }
    }
}

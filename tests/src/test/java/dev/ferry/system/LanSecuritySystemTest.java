package dev.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole {@code ferry} command as a separate process, attacked and misconfigured as issue 14
 * describes: a LAN listen address without protection, HTTPS with tokens made by
 * {@code ferry token add}, 10,000 bad requests against the log, and a WebSocket flood against the
 * process's memory with the package's JVM flags.
 */
@Tag("system")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LanSecuritySystemTest {
    @TempDir
    Path dir;

    private Path config(String toml) throws IOException {
        Path f = dir.resolve("ferry.toml");
        Files.writeString(f, toml);
        return f;
    }

    @Test
    void aLanListenAddressWithoutTlsAndAuthenticationRefusesToStart() throws Exception {
        Path f = config("[http]\nlisten = \"0.0.0.0:0\"\n");
        String line = f + ":2: http.listen: found \"0.0.0.0:0\" (reachable from the network) without TLS and"
                + " authentication, expected a loopback address, or tls_cert_file + tls_key_file with tokens_file or"
                + " client_ca_file, or unsafe_unauthenticated_lan = true to serve the network without them";
        for (String[] args : new String[][] {{"check-config", f.toString()}, {"run", "--config", f.toString()}}) {
            try (FerryProcess p = FerryProcess.start(List.of(), args)) {
                assertEquals(2, p.exitCode(), args[0] + ":\n" + p.output());
                assertTrue(p.lines().contains(line), args[0] + ":\n" + p.output());
            }
        }
        Path r = config("[rendezvous]\nenabled = true\nlisten = \"[::]:0\"\n");
        try (FerryProcess p = FerryProcess.start(List.of(), "run", "--config", r.toString())) {
            assertEquals(2, p.exitCode());
            assertTrue(p.output().contains(r + ":3: rendezvous.listen: found \"[::]:0\" (reachable from the network)"
                    + " without TLS and authentication"), p.output());
        }
    }

    @Test
    void theUnsafeKeyStartsTheFacadeAndSaysSoAtEveryStart() throws Exception {
        Path f = config("[http]\nlisten = \"0.0.0.0:0\"\nunsafe_unauthenticated_lan = true\n");
        try (FerryProcess p = FerryProcess.start(List.of(), "run", "--config", f.toString())) {
            String warn = p.awaitLine(l -> l.contains("unsafe_unauthenticated_lan = true"), 60);
            assertTrue(warn.startsWith("WARN"), warn);
            assertTrue(warn.contains("plain HTTP") && warn.contains("authentication"), warn);
            assertTrue(p.httpPort() > 0);
        }
    }

    @Test
    void httpsOnALanAddressWithATokenFromTheCommandLine() throws Exception {
        InetAddress lan = lanAddress();
        String host = lan == null ? "127.0.0.1" : lan.getHostAddress();
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-subj", "/CN=ferry-test", "-addext", "subjectAltName=IP:" + host + ",IP:127.0.0.1",
                "-keyout", "ferry.key", "-out", "ferry.pem");
        Path tokens = dir.resolve("tokens");
        String token;
        try (FerryProcess add = FerryProcess.start(List.of(), "token", "add", "panel", "--read", "/#runtime",
                "--tokens", tokens.toString())) {
            assertEquals(0, add.exitCode(), add.output());
            token = add.lines().stream().filter(l -> l.matches("ferry_[A-Za-z0-9_-]{43}")).findFirst()
                    .orElseThrow(() -> new AssertionError("no token printed:\n" + add.output()));
        }
        assertTrue(!Files.readString(tokens).contains(token), "the store keeps only the hash");
        try (FerryProcess list = FerryProcess.start(List.of(), "token", "list", "--tokens", tokens.toString())) {
            assertEquals(0, list.exitCode());
            assertTrue(list.output().matches("(?s).*panel\\s+token\\s+read:/#runtime.*"), list.output());
        }
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();                // ferry status reads the port from the config
        }
        Path f = config(String.join("\n", "[http]", "listen = \"0.0.0.0:" + port + "\"",
                "tls_cert_file = \"" + dir.resolve("ferry.pem") + "\"", "tls_key_file = \"" + dir.resolve("ferry.key") + "\"",
                "tokens_file = \"" + tokens + "\"", "allow_anonymous_loopback = false", ""));
        try (FerryProcess ferry = FerryProcess.start(List.of(), "run", "--config", f.toString())) {
            String url = "https://" + host + ":" + ferry.httpPort() + "/%23runtime/node";
            assertEquals("200", curl("-H", "Authorization: Bearer " + token, url));
            assertEquals("401", curl(url));
            try (FerryProcess status = FerryProcess.start(List.of(), "status", "--config", f.toString())) {
                assertEquals(3, status.exitCode(), status.output());
                assertTrue(status.output().contains("set FERRY_TOKEN"), status.output());
            }
            try (FerryProcess status = FerryProcess.start(java.util.Map.of("FERRY_TOKEN", token), List.of(),
                    "status", "--config", f.toString())) {
                assertEquals(0, status.exitCode(), "ferry status over HTTPS with a token:\n" + status.output());
                assertTrue(status.output().contains("https://127.0.0.1:"), status.output());
            }
            try (FerryProcess revoke = FerryProcess.start(List.of(), "token", "revoke", "panel", "--tokens",
                    tokens.toString())) {
                assertEquals(0, revoke.exitCode(), revoke.output());
            }
            String after = "200";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (after.equals("200") && System.nanoTime() < deadline) {    // the store looks every 0.1 s
                after = curl("-H", "Authorization: Bearer " + token, url);
            }
            assertEquals("401", after, "a revoked token still works");
        }
    }

    private String curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                "--max-time", "20", "--cacert", dir.resolve("ferry.pem").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
        return out;
    }

    private void openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }

    static InetAddress lanAddress() throws SocketException {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (ni.isUp() && !ni.isLoopback()) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return a;
                    }
                }
            }
        }
        return null;
    }

    @Test
    void tenThousandBadRequestsWriteAtMostAHundredLogLines() throws Exception {
        Path f = config("[http]\nlisten = \"127.0.0.1:0\"\n[logging]\nformat = \"plain\"\n");
        try (FerryProcess ferry = FerryProcess.start(List.of(), "run", "--config", f.toString())) {
            int port = ferry.httpPort();
            int before = ferry.lines().size();
            int sent = 0;
            long t0 = System.nanoTime();
            sent += keepAlive(port, 3000, "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n");                 // bad path
            sent += keepAlive(port, 3000, "BREW /dev0 HTTP/1.1\r\nHost: x\r\n\r\n");                // no such method
            sent += keepAlive(port, 3000, "GET /x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer nope\r\n\r\n"); // bad token
            for (int i = 0; i < 1000; i++) {                                                       // not HTTP at all
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.getOutputStream().write("\u0001\u0002 garbage \u0003\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    s.setSoTimeout(10_000);
                    s.getInputStream().readAllBytes();
                    sent++;
                }
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            // a marker request that logs nothing, so that every line the flood caused has been written
            assertTrue(keepAlive(port, 1, "GET /%23runtime/node HTTP/1.1\r\nHost: x\r\n\r\n") == 1);
            // what was held back is announced within a second or two of the flood's end, even when no
            // later line of its reason comes (a flood shorter than a second): wait for that line
            ferry.awaitLine(l -> l.contains("more suppressed"), 10);
            List<String> caused = ferry.lines().subList(before, ferry.lines().size());
            System.out.println("log flood: " + sent + " bad requests in " + ms + " ms wrote " + caused.size() + " lines");
            caused.forEach(l -> System.out.println("  | " + l));
            assertEquals(10_000, sent);
            assertTrue(caused.size() <= 100, caused.size() + " log lines for 10,000 bad requests");
            assertTrue(caused.stream().anyMatch(l -> l.contains("more suppressed")), "suppression is announced");
            assertTrue(caused.stream().allMatch(l -> l.length() < 400), "a wire value was logged in full");
        }
    }

    /** Sends {@code n} copies of {@code request} on one connection, in batches, reading every response. */
    private static int keepAlive(int port, int n, String request) throws IOException {
        byte[] one = request.getBytes(StandardCharsets.ISO_8859_1);
        int answered = 0;
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[65536];
            StringBuilder pending = new StringBuilder();
            for (int done = 0; done < n; ) {
                int batch = Math.min(200, n - done);
                out.write(repeat(one, batch));
                int seen = 0;
                while (seen < batch) {
                    int r = in.read(buf);
                    if (r < 0) {
                        throw new IOException("closed after " + (answered + seen) + " responses");
                    }
                    pending.append(new String(buf, 0, r, StandardCharsets.ISO_8859_1));
                    int at;
                    while ((at = pending.indexOf("HTTP/1.1 ")) >= 0 && pending.indexOf("\r\n\r\n", at) >= 0) {
                        int end = pending.indexOf("\r\n\r\n", at) + 4;
                        String head = pending.substring(at, end).toLowerCase();
                        int cl = head.indexOf("content-length:");
                        int len = cl < 0 ? 0 : Integer.parseInt(head.substring(cl + 15, head.indexOf("\r\n", cl)).trim());
                        if (pending.length() < end + len) {
                            break;
                        }
                        pending.delete(0, end + len);
                        seen++;
                    }
                }
                answered += seen;
                done += batch;
            }
        }
        return answered;
    }

    private static byte[] repeat(byte[] one, int n) {
        byte[] all = new byte[one.length * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(one, 0, all, i * one.length, one.length);
        }
        return all;
    }

    @Test
    void aWebSocketClientFloodingBadFramesWithoutReadingCostsAtMost32MiB() throws Exception {
        Path f = config("[http]\nlisten = \"127.0.0.1:0\"\n");
        try (FerryProcess ferry = FerryProcess.start(FerryProcess.packageJvmFlags(), "run", "--config", f.toString())) {
            int port = ferry.httpPort();
            for (int i = 0; i < 3; i++) {
                flood(port, 2_000);                     // warm-up: code paths compiled, buffers allocated
            }
            long before = ferry.rssKib();
            long sent = flood(port, 600_000);
            assertTrue(keepAlive(port, 1, "GET /%23runtime/node HTTP/1.1\r\nHost: x\r\n\r\n") == 1, "still serving");
            long after = ferry.rssKib();
            System.out.println("ws flood: cut off after " + sent + " frames; RSS " + before / 1024 + " MiB -> "
                    + after / 1024 + " MiB (package JVM flags)");
            assertTrue(sent < 600_000, "never cut off");
            assertTrue(ferry.alive(), "the process died:\n" + ferry.output());
            assertTrue(after - before <= 32 * 1024, "RSS grew by " + (after - before) / 1024 + " MiB");
            assertTrue(ferry.output().contains("dropped (slow_client)"), ferry.output());
        }
    }

    /** Upgrades, then sends bad frames without reading until cut off (or {@code max} frames); frames sent. */
    private static long flood(int port, int max) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("no upgrade: " + head);
                }
                head.append((char) c);
            }
            assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
            byte[] frame = masked("this is not JSON at all, and it is sent again and again");
            byte[] batch = repeat(frame, 100);
            long sent = 0;
            // a blocked write cannot be interrupted: a stalled flood is ended by closing the socket
            java.util.concurrent.ScheduledExecutorService guard = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            java.util.concurrent.atomic.AtomicBoolean stalled = new java.util.concurrent.atomic.AtomicBoolean();
            guard.schedule(() -> {
                stalled.set(true);
                try {
                    s.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }, 120, TimeUnit.SECONDS);
            try {
                while (sent < max) {
                    s.getOutputStream().write(batch);
                    sent += 100;
                }
            } catch (SocketException e) {
                assertTrue(!stalled.get(), "the flood stalled for 120 s: the server neither read nor closed");
                return sent;                             // cut off
            } finally {
                guard.shutdownNow();
            }
            return sent;
        }
    }

    private static byte[] masked(String text) {
        byte[] p = text.getBytes(StandardCharsets.UTF_8);
        byte[] f = new byte[6 + p.length];
        f[0] = (byte) 0x81;
        f[1] = (byte) (0x80 | p.length);
        byte[] mask = {7, 1, 8, 2};
        System.arraycopy(mask, 0, f, 2, 4);
        for (int i = 0; i < p.length; i++) {
            f[6 + i] = (byte) (p[i] ^ mask[i % 4]);
        }
        return f;
    }
}

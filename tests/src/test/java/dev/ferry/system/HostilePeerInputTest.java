package dev.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.proto.resi.Envelope;
import dev.ferry.edge.proto.resi.Result;
import dev.ferry.edge.resi.Envelopes;
import dev.ferry.edge.resi.ResiCodec;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A gateway process with one peer over UDP and TCP on loopback (security mode open), fed what a
 * hostile or broken peer sends; its log is what tinylog wrote to the process's output. Garbage
 * is counted one by one but logged a few lines per second; a huge node id is neither echoed back
 * nor logged.
 */
@Tag("system")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HostilePeerInputTest {
    private static final Pattern GARBAGE = Pattern.compile("\"garbage\":(\\d+)");
    private static Process gateway;
    private static Path log;
    private static int udp;
    private static int tcp;
    private static String peerUrl;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        udp = Repo.freeUdpPort();
        tcp = Repo.freeTcpPort();
        int http = Repo.freeTcpPort();
        Path dir = Files.createTempDirectory("ferry-hostile");
        Path config = dir.resolve("g.toml");
        Files.writeString(config, String.join("\n",
                "[node]", "id = \"gw-a\"", "[http]", "listen = \"127.0.0.1:" + http + "\"",
                "[[peers]]", "id = \"gw-b\"",
                "[[peers.transports]]", "kind = \"udp\"", "listen = \"127.0.0.1:" + udp + "\"",
                "[[peers.transports]]", "kind = \"tcp\"", "listen = \"127.0.0.1:" + tcp + "\"", ""));
        log = dir.resolve("g.log");
        gateway = Repo.gateway(config, log);
        Repo.awaitPort(http, gateway);
        peerUrl = "http://127.0.0.1:" + http + "/%23runtime/peers/gw-b";
        garbage(); // HTTP answers once every part is started: the peer's listeners are bound by then
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.destroy();
        if (!gateway.waitFor(10, TimeUnit.SECONDS)) {
            gateway.destroyForcibly();
        }
    }

    @Test
    void tenThousandGarbageDatagramsAreAllCountedAndLoggedAFewLinesASecond() throws Exception {
        long before = garbage();
        int linesBefore = logLines().size();
        long t0 = System.nanoTime();
        int sent = 0;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            while (sent < 10_000) {
                for (int i = 0; i < 100; i++, sent++) {
                    // half a bad datagram header, half a whole-envelope datagram holding no envelope
                    byte[] d = sent % 2 == 0 ? new byte[] {'Z', (byte) sent, 1, 2, 3}
                            : new byte[] {'E', (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
                    s.send(new DatagramPacket(d, d.length, InetAddress.getLoopbackAddress(), udp));
                }
                int want = sent;
                awaitTrue(() -> garbage() - before >= want, "garbage counted up to " + want);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(10_000, garbage() - before, "every datagram counted");
        List<String> added = logLines().subList(linesBefore, logLines().size());
        long bound = Math.min(100, 4 * (long) Math.ceil(seconds) + 6);
        assertTrue(added.size() <= bound, added.size() + " log lines for 10,000 datagrams in " + seconds
                + " s (at most " + bound + "): " + String.join("\n", added));
    }

    @Test
    void aHugeNodeIdIsRefusedByItsLengthNeverEchoedNorLogged() throws Exception {
        String huge = "A".repeat(200_000);
        byte[] hs = Envelopes.handshake(ResiCodec.VERSION_MAJOR, ResiCodec.VERSION_MINOR, huge, List.of(), List.of(),
                List.of(), 1, 99, 1, true, 0);
        int linesBefore = logLines().size();
        List<Envelope> back = new ArrayList<>();
        int bytesBack;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), tcp)) {
            s.setSoTimeout(20_000);
            ByteArrayOutputStream w = new ByteArrayOutputStream();
            writeVarint(w, hs.length);
            w.writeBytes(hs);
            s.getOutputStream().write(w.toByteArray());
            s.getOutputStream().flush();
            byte[] all = readUntilClosed(s.getInputStream());
            bytesBack = all.length;
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(all));
            while (in.available() > 0) {
                byte[] env = new byte[readVarint(in)];
                in.readFully(env);
                back.add(Envelope.parseFrom(env));
            }
        }
        assertTrue(bytesBack < 2048, "the gateway sent back " + bytesBack + " bytes");
        Result refusal = back.stream().filter(Envelope::hasResult).map(Envelope::getResult).findFirst()
                .orElseThrow(() -> new AssertionError("no Result came back: " + back));
        assertEquals(Result.Code.NODE_REFUSED, refusal.getCode());
        assertEquals("node id of 200000 characters (at most 64)", refusal.getReason());
        awaitTrue(() -> logLines().size() > linesBefore && String.join("\n", logLines()).contains("200000 characters"),
                "the refusal logged");
        List<String> added = logLines().subList(linesBefore, logLines().size());
        assertEquals(1, added.stream().filter(l -> l.contains("200000 characters")).count(), String.join("\n", added));
        assertTrue(added.stream().noneMatch(l -> l.contains("AAAAAAAAAAAAAAAA") || l.length() > 1000),
                "no line shows the id: " + added.stream().mapToInt(String::length).max().orElse(0) + " chars max");
    }

    @Test
    void openModeSaysAtStartThatPeersAreNotAuthenticated() {
        assertTrue(logLines().stream().anyMatch(l -> l.contains("WARN") && l.contains("security mode open: peers are"
                + " not authenticated")), String.join("\n", logLines()));
    }

    private static byte[] readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
                out.write(buf, 0, r);
            }
        } catch (java.net.SocketException reset) {
            // the gateway reset the connection after its refusal
        }
        return out.toByteArray();
    }

    private static void writeVarint(ByteArrayOutputStream w, int v) {
        while ((v & ~0x7F) != 0) {
            w.write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        w.write(v);
    }

    private static int readVarint(DataInputStream in) throws IOException {
        int v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("bad varint");
    }

    private static long garbage() {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create(peerUrl)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = GARBAGE.matcher(body);
            if (!m.find()) {
                throw new AssertionError("no garbage counter in " + body);
            }
            return Long.parseLong(m.group(1));
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> logLines() {
        try {
            return Files.readAllLines(log);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier c, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            LockSupport.parkNanos(10_000_000);
        }
    }
}

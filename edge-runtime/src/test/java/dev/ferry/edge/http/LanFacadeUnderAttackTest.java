package dev.ferry.edge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The facade against the cheap attacks of issue 14: many slow connections from one host, a
 * request that never finishes, a WebSocket client that floods and never reads. Real sockets; the
 * attackers use 127.0.0.2 so that the legitimate client (127.0.0.1) is another source.
 */
@Tag("system")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LanFacadeUnderAttackTest {
    private static final String ATTACKER = "127.0.0.2";
    private FacadeFixture fx;
    private final List<Socket> sockets = new ArrayList<>();
    private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void tearDown() {
        trickle.shutdownNow();
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        if (fx != null) {
            fx.close();
        }
    }

    private FacadeFixture facade(int perSource, long headerMs, long bodyMs) throws IOException {
        FacadeSecurity sec = new FacadeSecurity(null, Authenticator.loopbackOnly(), perSource,
                Duration.ofMillis(headerMs), Duration.ofMillis(bodyMs));
        fx = new FacadeFixture(new LanFacadeConfig(LanFacadeConfig.LOOPBACK, 0, 256, 64 * 1024, Duration.ofSeconds(5)),
                sec, true);
        return fx;
    }

    private Socket connect(String from) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress("127.0.0.1", fx.facade.port()), 5000);
        return s;
    }

    /** Everything the server sends until it closes; fails the test if it does not close within 20 s. */
    private static String readUntilClosed(Socket s) throws IOException {
        s.setSoTimeout(20_000);
        StringBuilder b = new StringBuilder();
        byte[] buf = new byte[4096];
        try {
            for (int n = s.getInputStream().read(buf); n >= 0; n = s.getInputStream().read(buf)) {
                b.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open past 20 s; got: " + b);
        } catch (SocketException e) {
            // reset: closed as well
        }
        return b.toString();
    }

    @Test
    void threeHundredSlowlorisConnectionsFromOneHostDoNotStarveAnotherClient() throws Exception {
        facade(32, 2000, 5000);
        assertTrue(legitimateRequest().startsWith("HTTP/1.1 200"), "warm-up");
        List<Socket> slow = new ArrayList<>();
        long c0 = System.nanoTime();
        for (int i = 0; i < 300; i++) {
            Socket s = connect(ATTACKER);
            s.getOutputStream().write("GET /dev0/sensors/temp HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            slow.add(s);
        }
        System.out.println("slowloris: 300 connections opened in " + (System.nanoTime() - c0) / 1_000_000 + " ms");
        // one more header byte every 200 ms on every connection: an idle timeout would never fire
        trickle.scheduleAtFixedRate(() -> {
            for (Socket s : slow) {
                try {
                    s.getOutputStream().write('X');
                } catch (IOException e) {
                    // closed by the server: as it should be
                }
            }
        }, 200, 200, TimeUnit.MILLISECONDS);
        assertTrue(fx.facade.connections() <= 32, "more than 32 connections from one source: " + fx.facade.connections());

        long t0 = System.nanoTime();
        String r = legitimateRequest();
        long servedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(r.startsWith("HTTP/1.1 200"), "the legitimate client was not served: " + r);
        System.out.println("slowloris: legitimate client (new connection) served in " + servedMs
                + " ms while the slow connections trickle");
        assertTrue(servedMs < 10_000, "starved for " + servedMs + " ms");

        // every admitted slow connection is closed by the header deadline although it keeps sending
        int closed408 = 0;
        for (Socket s : slow) {
            if (readUntilClosed(s).startsWith("HTTP/1.1 408")) {
                closed408++;
            }
        }
        long refused = fx.dropped("max_connections_per_source");
        assertTrue(closed408 >= 32, "admitted slow connections answered 408: " + closed408);
        assertEquals(300, refused + closed408, "each slow connection was refused at accept or cut by its deadline");
        assertEquals(closed408, fx.dropped("header_timeout"));
    }

    /** A GET on a new connection from 127.0.0.1; the whole response. */
    private String legitimateRequest() throws IOException {
        Socket s = connect("127.0.0.1");
        s.getOutputStream().write("GET /dev0/sensors/temp HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        return readUntilClosed(s);
    }

    @Test
    void aBodyThatNeverArrivesIsCutOffAndKeepAliveIdlingIsNot() throws Exception {
        facade(32, 500, 500);
        Socket s = connect("127.0.0.1");
        s.getOutputStream().write(("PUT /dev0/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789")
                .getBytes(StandardCharsets.US_ASCII));
        String got = readUntilClosed(s);
        assertTrue(got.startsWith("HTTP/1.1 408"), got);
        assertEquals(1, fx.dropped("body_timeout"));

        Socket k = connect("127.0.0.1");
        OutputStream out = k.getOutputStream();
        InputStream in = k.getInputStream();
        k.setSoTimeout(10_000);
        out.write("GET /dev0/sensors/temp HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String first = readResponse(in);
        assertTrue(first.startsWith("HTTP/1.1 200"), first);
        Thread.sleep(1200);      // idle between requests longer than both deadlines: only the idle timeout applies
        out.write("GET /dev0/sensors/temp HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String second = readResponse(in);
        assertTrue(second.startsWith("HTTP/1.1 200"), "an idle keep-alive connection was cut: " + second);
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        return head.toString();
    }

    /** One response with a Content-Length body. */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                return head.toString();
            }
            head.append((char) c);
        }
        int at = head.toString().toLowerCase().indexOf("content-length:");
        int len = Integer.parseInt(head.substring(at + 15, head.indexOf("\r\n", at)).trim());
        return head + new String(in.readNBytes(len), StandardCharsets.UTF_8);
    }

    @Test
    void aWebSocketClientFloodingBadFramesWithoutReadingIsCutOff() throws Exception {
        facade(32, 2000, 5000);
        Socket s = connect("127.0.0.1");
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        s.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        String head = readHead(s.getInputStream());
        assertTrue(head.startsWith("HTTP/1.1 101"), head);
        // from here on nothing is read
        byte[] frame = maskedText("{\"not\": rp}".repeat(20));
        byte[] batch = new byte[frame.length * 100];
        for (int i = 0; i < 100; i++) {
            System.arraycopy(frame, 0, batch, i * frame.length, frame.length);
        }
        long sent = 100L * floodUntilCut(s, batch, 6000);   // at most 600,000 frames, as in the issue
        assertTrue(sent >= 0, "a client that never reads was not cut off after 600,000 frames");
        assertTrue(fx.dropped("slow_client") >= 1, "the cut was not counted");
        System.out.println("ws flood: cut off after " + sent + " bad frames");
    }

    @Test
    void aClientPipeliningBadRequestsWithoutReadingIsCutOff() throws Exception {
        facade(32, 2000, 5000);
        Socket s = connect("127.0.0.1");
        byte[] bad = "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] batch = new byte[bad.length * 1000];
        for (int i = 0; i < 1000; i++) {
            System.arraycopy(bad, 0, batch, i * bad.length, bad.length);
        }
        long sent = 1000L * floodUntilCut(s, batch, 1000);  // at most 1,000,000 requests
        assertTrue(sent >= 0, "a client that never reads its 400s was not cut off after 1,000,000 requests");
        assertTrue(fx.dropped("slow_client") >= 1, "the cut was not counted");
        System.out.println("http pipelining flood: cut off after " + sent + " bad requests");
    }

    /**
     * Writes {@code batch} up to {@code max} times without reading; the number written before the
     * server cut the connection, or -1 when it never did. A write that stalls for 60 s (the
     * server stopped reading without closing) fails the test instead of hanging it.
     */
    private static long floodUntilCut(Socket s, byte[] batch, int max) throws InterruptedException {
        java.util.concurrent.atomic.AtomicBoolean stalled = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong progress = new java.util.concurrent.atomic.AtomicLong();
        Thread watchdog = new Thread(() -> {
            long seen = -1;
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(60_000);     // a stall detector: no event exists for "a write blocks"
                } catch (InterruptedException e) {
                    return;
                }
                if (progress.get() == seen) {
                    stalled.set(true);
                    try {
                        s.close();
                    } catch (IOException e) {
                        // closing anyway
                    }
                    return;
                }
                seen = progress.get();
            }
        }, "flood-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            for (int i = 0; i < max; i++) {
                s.getOutputStream().write(batch);
                progress.incrementAndGet();
            }
            return -1;
        } catch (IOException e) {
            assertTrue(!stalled.get(), "writes stalled for 60 s: the server neither read nor closed");
            return progress.get();
        } finally {
            watchdog.interrupt();
            watchdog.join();
        }
    }

    static byte[] maskedText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        if (payload.length > 125) {
            byte[] f = new byte[4 + 4 + payload.length];
            f[0] = (byte) 0x81;
            f[1] = (byte) (0x80 | 126);
            f[2] = (byte) (payload.length >> 8);
            f[3] = (byte) payload.length;
            byte[] mask = {1, 2, 3, 4};
            System.arraycopy(mask, 0, f, 4, 4);
            for (int i = 0; i < payload.length; i++) {
                f[8 + i] = (byte) (payload[i] ^ mask[i % 4]);
            }
            return f;
        }
        byte[] f = new byte[2 + 4 + payload.length];
        f[0] = (byte) 0x81;
        f[1] = (byte) (0x80 | payload.length);
        byte[] mask = {1, 2, 3, 4};
        System.arraycopy(mask, 0, f, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            f[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return f;
    }
}

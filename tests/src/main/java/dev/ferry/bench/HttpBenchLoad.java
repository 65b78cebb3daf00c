package dev.ferry.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.SocketFactory;

/**
 * A minimal closed-loop HTTP/1.1 load generator for when wrk is not installed: one thread per
 * keep-alive connection, each sending {@code GET path} and reading the response (status line,
 * headers, Content-Length body) before the next. Bounded: one small buffer per connection.
 */
final class HttpBenchLoad {
    private HttpBenchLoad() {
    }

    /** Returns {responses per second with status 2xx, other responses + connection errors}. */
    static double[] run(String host, int port, String path, int connections, int seconds) throws InterruptedException {
        return run(host, port, path, "", connections, seconds);
    }

    /** Like {@link #run(String, int, String, int, int)}, each request with {@code headers} ("Name: value\r\n" lines). */
    static double[] run(String host, int port, String path, String headers, int connections, int seconds)
            throws InterruptedException {
        return run(SocketFactory.getDefault(), host, port, path, headers, connections, seconds);
    }

    /**
     * Like {@link #run(String, int, String, int, int)} with sockets from {@code sockets} (an
     * {@code SSLSocketFactory} for HTTPS) and {@code headers} (each ending in CRLF) in every request.
     */
    static double[] run(SocketFactory sockets, String host, int port, String path, String headers, int connections,
                        int seconds) throws InterruptedException {
        AtomicLong ok = new AtomicLong();
        AtomicLong bad = new AtomicLong();
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n" + headers + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            Thread t = new Thread(() -> loop(sockets, host, port, request, end, ok, bad), "load-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        return new double[] {ok.get() / elapsed, bad.get()};
    }

    /**
     * {@code samples} requests one after the other on one keep-alive connection (after {@code warmup}
     * unmeasured ones): the round trip as a lean client sees it (one thread, blocking socket), without
     * the thread hand-offs of {@code java.net.http}.
     *
     * @throws IOException on a connection error or a non-2xx answer
     */
    static BenchSamples sequential(String host, int port, String path, int warmup, int samples) throws IOException {
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        BenchSamples s = new BenchSamples(samples);
        try (Socket sock = new Socket(host, port)) {
            sock.setTcpNoDelay(true);
            sock.setSoTimeout(10_000);
            OutputStream out = sock.getOutputStream();
            InputStream in = new BufferedInputStream(sock.getInputStream(), 8192);
            for (int i = 0; i < warmup + samples; i++) {
                long t0 = System.nanoTime();
                out.write(request);
                out.flush();
                int status = readResponse(in);
                long t1 = System.nanoTime();
                if (status < 200 || status >= 300) {
                    throw new IOException("GET " + path + ": HTTP " + status);
                }
                if (i >= warmup) {
                    s.add(t1 - t0);
                }
            }
        }
        return s;
    }

    private static void loop(SocketFactory sockets, String host, int port, byte[] request, long end, AtomicLong ok,
                             AtomicLong bad) {
        try (Socket s = sockets.createSocket(host, port)) {
            s.setTcpNoDelay(true);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream(), 8192);
            while (System.nanoTime() < end) {
                out.write(request);
                out.flush();
                int status = readResponse(in);
                (status >= 200 && status < 300 ? ok : bad).incrementAndGet();
                if (status < 200 || status >= 300) {
                    ERRORS.computeIfAbsent("HTTP " + status, k -> new AtomicLong()).incrementAndGet();
                }
            }
        } catch (IOException e) {
            bad.incrementAndGet();
            ERRORS.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
        }
    }

    /** What the errors of all runs so far were (HTTP status or exception), with counts. */
    static final java.util.Map<String, AtomicLong> ERRORS = new java.util.concurrent.ConcurrentSkipListMap<>();

    /** Reads one response; returns its status. */
    static int readResponse(InputStream in) throws IOException {
        String status = line(in);
        int code = Integer.parseInt(status.split(" ")[1]);
        long length = 0;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Long.parseLong(h.substring(15).trim());
            }
        }
        while (length > 0) {
            long n = in.skip(length);
            if (n <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed mid-body");
                }
                n = 1;
            }
            length -= n;
        }
        return code;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r' && b.length() < 8192) {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}

package dev.ferry.edge.service;

import dev.ferry.edge.config.FerryConfig;
import dev.ferry.edge.config.HostPort;
import dev.ferry.edge.security.TlsFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A minimal HTTP/1.1 GET against the running service's facade, with a hard time limit: what
 * {@code ferry status} and the watchdog probe use. Deliberately tiny (a socket, one request,
 * {@code Connection: close}) so that neither pulls {@code java.net.http} into the process.
 */
final class LocalHttp {
    /** A response: the status code and the body (bounded). */
    record Response(int status, String body) { }

    static final int MAX_BODY = 1 << 20;

    /**
     * How to reach the running facade: its loopback address, the TLS trust when it speaks HTTPS
     * (exactly its configured certificate, so no host name check is needed), and a bearer token
     * to present (from the environment variable {@code FERRY_TOKEN}; null: none, which loopback
     * allows unless {@code allow_anonymous_loopback = false}).
     */
    record Way(InetSocketAddress to, SSLSocketFactory tls, String token) {
        /** The way to the facade {@code cfg} describes, bound to {@code port}. */
        static Way of(FerryConfig cfg, int port) throws IOException {
            SSLSocketFactory tls = cfg.http().tls()
                    ? TlsFiles.client(Path.of(cfg.http().tlsCertFile().get())).getSocketFactory() : null;
            String token = System.getenv("FERRY_TOKEN");
            return new Way(target(cfg.http().listen(), port), tls, token == null || token.isBlank() ? null : token.strip());
        }

        /** {@code http(s)://host:port}. */
        String base() {
            String h = to.getHostString().contains(":") ? "[" + to.getHostString() + "]" : to.getHostString();
            return (tls == null ? "http" : "https") + "://" + h + ":" + to.getPort();
        }
    }

    private LocalHttp() { }

    /**
     * The address to reach a facade listening on {@code listen}: a wildcard listen address
     * (0.0.0.0, [::]) is reached on the loopback interface.
     */
    static InetSocketAddress target(HostPort listen, int port) {
        String h = listen.host();
        if (h.isEmpty() || h.equals("0.0.0.0") || h.equals("*")) {
            h = "127.0.0.1";
        } else if (h.equals("::") || h.equals("[::]")) {
            h = "::1";
        }
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return new InetSocketAddress(h, port);
    }

    /**
     * GETs {@code path} (already URL-encoded, e.g. {@code /%23runtime/devices}).
     *
     * @throws IOException when the service cannot be reached or answers garbage within {@code timeoutMs}
     */
    static Response get(InetSocketAddress to, String path, int timeoutMs) throws IOException {
        return get(new Way(to, null, null), path, timeoutMs);
    }

    /** Like {@link #get(InetSocketAddress, String, int)}, over TLS and with a token when {@code way} says so. */
    static Response get(Way way, String path, int timeoutMs) throws IOException {
        InetSocketAddress to = way.to();
        try (Socket s = way.tls() == null ? new Socket() : way.tls().createSocket()) {
            s.connect(to, timeoutMs);
            s.setSoTimeout(timeoutMs);
            if (s instanceof SSLSocket ssl) {
                ssl.startHandshake();
            }
            OutputStream out = s.getOutputStream();
            String host = to.getHostString().contains(":") ? "[" + to.getHostString() + "]" : to.getHostString();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + to.getPort()
                    + (way.token() == null ? "" : "\r\nAuthorization: Bearer " + way.token())
                    + "\r\nAccept: application/json\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] raw = readAll(s.getInputStream());
            return parse(raw);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            b.write(buf, 0, n);
            if (b.size() > MAX_BODY) {
                throw new IOException("response larger than " + MAX_BODY + " bytes");
            }
        }
        return b.toByteArray();
    }

    static Response parse(byte[] raw) throws IOException {
        // ISO-8859-1 keeps one char per byte, so chunk sizes (in bytes) index the text directly
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || headEnd < 0 || text.length() < 12) {
            throw new IOException("not an HTTP response");
        }
        int status;
        try {
            status = Integer.parseInt(text.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("bad HTTP status line");
        }
        String head = text.substring(0, headEnd).toLowerCase(java.util.Locale.ROOT);
        String body = text.substring(headEnd + 4);
        if (head.contains("\r\ntransfer-encoding: chunked")) {
            body = unchunk(body);
        }
        return new Response(status, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    private static String unchunk(String body) throws IOException {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = body.indexOf("\r\n", at);
            if (eol < 0) {
                throw new IOException("truncated chunked body");
            }
            int size;
            try {
                size = Integer.parseInt(body.substring(at, eol).split(";")[0].trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size");
            }
            if (size == 0) {
                return out.toString();
            }
            int start = eol + 2;
            int end = Math.min(body.length(), start + size);
            out.append(body, start, end);
            at = end + 2;
        }
    }
}

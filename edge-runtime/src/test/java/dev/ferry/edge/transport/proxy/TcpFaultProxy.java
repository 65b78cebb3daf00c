package dev.ferry.edge.transport.proxy;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy for RESI's length-delimited envelopes, on 127.0.0.1, with per-direction
 * {@link FaultPlan}s ({@link #toServer}, {@link #toClient}) and connection faults: close every
 * current connection, refuse new ones, inject raw bytes. For tests; blocking sockets, one thread
 * per direction.
 */
public final class TcpFaultProxy implements AutoCloseable {
    public final FaultPlan toServer = new FaultPlan();
    public final FaultPlan toClient = new FaultPlan();
    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Set<Pair> pairs = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean refusing;
    private volatile boolean closed;

    public TcpFaultProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "proxy-accept-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    /** Closes every current connection (both sides see a clean close). */
    public void closeConnections() {
        for (Pair p : pairs) {
            p.close();
        }
    }

    /** While true, new connections are closed at once. */
    public void refuse(boolean on) {
        refusing = on;
    }

    /** Writes raw bytes towards the server on every current connection (garbage injection). */
    public void injectToServer(byte[] raw) throws IOException {
        for (Pair p : pairs) {
            synchronized (p.serverOut) {
                p.serverOut.write(raw);
                p.serverOut.flush();
            }
        }
    }

    public int connections() {
        return pairs.size();
    }

    /** Connections relayed since the proxy started, closed ones included. */
    public int accepted() {
        return accepted.get();
    }

    /** Connections closed at once while {@link #refuse} was on. */
    public int refused() {
        return refused.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket c = server.accept();
                if (refusing) {
                    c.close();
                    refused.incrementAndGet();
                    continue;
                }
                Socket s = new Socket();
                try {
                    s.connect(target, 2000);
                } catch (IOException e) {
                    c.close();
                    continue;
                }
                c.setTcpNoDelay(true);
                s.setTcpNoDelay(true);
                Pair p = new Pair(c, s);
                pairs.add(p);
                accepted.incrementAndGet();
                p.start();
            } catch (IOException e) {
                if (!closed) {
                    continue;
                }
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        closeConnections();
    }

    private final class Pair {
        final Socket client;
        final Socket srv;
        final OutputStream serverOut;
        final OutputStream clientOut;
        final List<DelayLine> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

        Pair(Socket client, Socket srv) throws IOException {
            this.client = client;
            this.srv = srv;
            this.serverOut = new BufferedOutputStream(srv.getOutputStream(), 65536);
            this.clientOut = new BufferedOutputStream(client.getOutputStream(), 65536);
        }

        void start() throws IOException {
            pump(client.getInputStream(), serverOut, toServer, "c2s");
            pump(srv.getInputStream(), clientOut, toClient, "s2c");
        }

        private void pump(InputStream raw, OutputStream out, FaultPlan plan, String dir) {
            DelayLine line = new DelayLine(dir, (frames, more) -> {
                synchronized (out) {
                    for (byte[] f : frames) {
                        writeFrame(out, f);
                    }
                    if (!more) {
                        out.flush();
                    }
                }
            }, this::close);
            lines.add(line);
            Thread t = new Thread(() -> {
                InputStream in = new BufferedInputStream(raw, 65536);
                try {
                    while (true) {
                        byte[] frame = readFrame(in);
                        line.send(plan.apply(frame), plan.delayMillis(), in.available() > 0);
                    }
                } catch (IOException | InterruptedException e) {
                    close();
                }
            }, "proxy-" + dir);
            t.setDaemon(true);
            t.start();
        }

        void close() {
            pairs.remove(this);
            for (DelayLine l : lines) {
                l.close();
            }
            try {
                client.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            try {
                srv.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    static byte[] readFrame(InputStream in) throws IOException {
        int len = 0;
        int shift = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            len |= (b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0) {
                break;
            }
            if (shift > 28) {
                throw new IOException("bad length");
            }
        }
        if (len > (1 << 24)) {
            throw new IOException("frame too long");
        }
        return in.readNBytes(len);
    }

    static void writeFrame(OutputStream out, byte[] f) throws IOException {
        int v = f.length;
        while ((v & ~0x7F) != 0) {
            out.write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write(v);
        out.write(f);
    }
}

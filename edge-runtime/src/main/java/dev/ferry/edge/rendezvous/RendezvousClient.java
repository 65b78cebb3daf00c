package dev.ferry.edge.rendezvous;

import dev.ferry.edge.config.HostPort;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.tinylog.Logger;

/**
 * A client of a rendezvous service (ours or another gateway's, config {@code register_to}) over a
 * plain blocking socket read by one daemon thread. It remembers what it registered and which
 * namespaces it entered, and after a lost connection reconnects with exponential backoff and
 * sends all of it again. Announcements reach the {@link Listener} on the reader thread, in order.
 * A registration the service refuses comes back as an UNREGISTER of our own id (RENDEZVOUS.md):
 * it is forgotten and reported through {@link Listener#lost}. Writes happen on the caller's
 * thread under one lock (small messages; a stalled service can make them wait).
 *
 * <p>{@link #discover} uses its own short connection, because on a connection that has entered
 * rendezvous its answer could not be told apart from an announcement.
 *
 * <p>{@link #secure} makes the client speak TLS (verifying the service's certificate and host
 * name against the given trust) and present a bearer token in every message it sends, as a
 * service beyond loopback requires (RendezvousGuard).
 */
public final class RendezvousClient implements Registrar, AutoCloseable {
    /** What the client reports; called on its reader thread. All methods default to nothing. */
    public interface Listener {
        default void registered(Registration r) { }

        default void unregistered(String ns, String id) { }

        /** Our registration of {@code id} in {@code ns} was refused or taken over, and forgotten. */
        default void lost(String ns, String id) { }

        default void connected() { }

        default void disconnected(String reason) { }

        /** A listener that ignores everything (a client that only registers). */
        Listener NONE = new Listener() { };
    }

    /** Registrations and namespaces one client remembers at most. */
    public static final int MAX_HELD = 4096;
    /** Largest message the client accepts from a service (a large DISCOVER answer). */
    public static final int MAX_INBOUND = 16 * 1024 * 1024;

    private final HostPort target;
    private final Listener listener;
    private final RendezvousLimits limits;
    private final long minBackoffMs;
    private final long maxBackoffMs;
    private final Object lock = new Object();
    private final Map<String, Registration> held = new LinkedHashMap<>();
    private final Set<String> entered = new LinkedHashSet<>();
    private final Thread thread;
    private String token;
    private SSLContext tls;
    private volatile boolean running = true;
    private Socket socket;
    private OutputStream out;

    /** A client of {@code target}; call {@link #start()}. Backoff doubles from {@code minBackoffMs} up to {@code maxBackoffMs}. */
    public RendezvousClient(HostPort target, Listener listener, long minBackoffMs, long maxBackoffMs) {
        this.target = Objects.requireNonNull(target, "target");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.limits = RendezvousLimits.defaults();
        this.minBackoffMs = Math.max(1, minBackoffMs);
        this.maxBackoffMs = Math.max(this.minBackoffMs, maxBackoffMs);
        this.thread = new Thread(this::loop, "ferry-rendezvous-client-" + target);
        thread.setDaemon(true);
    }

    /**
     * Sends {@code bearerToken} (null: none) with every message and, when {@code tlsContext} is not
     * null, connects over TLS with it. Call before {@link #start()}.
     */
    public RendezvousClient secure(String bearerToken, SSLContext tlsContext) {
        if (thread.isAlive()) {
            throw new IllegalStateException("secure() after start()");
        }
        this.token = bearerToken;
        this.tls = tlsContext;
        return this;
    }

    public RendezvousClient start() {
        thread.start();
        return this;
    }

    /** Whether a connection is up now. */
    public boolean isConnected() {
        synchronized (lock) {
            return out != null;
        }
    }

    @Override
    public boolean register(Registration r) {
        synchronized (lock) {
            String key = key(r.ns(), r.id());
            if (!held.containsKey(key) && held.size() >= MAX_HELD) {
                return false;
            }
            held.put(key, r);
            send(RendezvousMessage.register(List.of(r)));
            return true;
        }
    }

    @Override
    public void unregister(String ns, String id) {
        synchronized (lock) {
            if (held.remove(key(ns, id)) != null) {
                send(RendezvousMessage.unregister(ns, id));
            }
        }
    }

    /** Enters rendezvous on {@code ns} (now and after every reconnect); false past {@link #MAX_HELD}. */
    public boolean enter(String ns) {
        synchronized (lock) {
            if (!entered.contains(ns) && entered.size() >= MAX_HELD) {
                return false;
            }
            entered.add(ns);
            send(RendezvousMessage.rendezvous(ns));
            return true;
        }
    }

    /**
     * Asks the service at {@code target} for the registrations of {@code ns} on a connection of its
     * own, waiting at most {@code timeoutMs}.
     *
     * @throws IOException when the service cannot be reached, answers garbage or too late
     */
    public static List<Registration> discover(HostPort target, String ns, int timeoutMs) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(target.host(), target.port()), timeoutMs);
            s.setSoTimeout(timeoutMs);
            s.getOutputStream().write(RendezvousWire.frame(RendezvousMessage.discover(ns)));
            s.getOutputStream().flush();
            RendezvousWire.Parsed p = RendezvousWire.decode(
                    readFrame(new BufferedInputStream(s.getInputStream()), MAX_INBOUND),
                    RendezvousLimits.defaults(), true);
            if (!p.ok() || p.message().type() != RendezvousMessage.Type.REGISTER) {
                throw new IOException("bad DISCOVER answer: " + (p.ok() ? p.message().type() : p.problem()));
            }
            return p.message().register();
        }
    }

    /** Reads one varint32-length-prefixed frame; EOFException at a clean end between frames. */
    static byte[] readFrame(InputStream in, int max) throws IOException {
        long len = 0;
        for (int i = 0; ; i++) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(i == 0 ? "closed" : "truncated length");
            }
            len |= (long) (b & 0x7f) << (7 * i);
            if (b < 0x80) {
                break;
            }
            if (i == 4) {
                throw new IOException("bad length");
            }
        }
        if (len > max) {
            throw new IOException("message of " + len + " bytes exceeds " + max);
        }
        byte[] buf = in.readNBytes((int) len);
        if (buf.length < len) {
            throw new EOFException("truncated message");
        }
        return buf;
    }

    private void send(RendezvousMessage m) {
        if (out == null) {
            return;                        // sent on (re)connect
        }
        try {
            out.write(RendezvousWire.frame(token == null ? m : m.withToken(token)));
            out.flush();
        } catch (IOException e) {
            Logger.debug("rendezvous client: write to {} failed: {}", target, e.toString());
            closeSocket();                 // the reader sees it and reconnects
        }
    }

    private void loop() {
        long backoff = minBackoffMs;
        while (running) {
            String reason;
            try (Socket s = tls == null ? new Socket() : tls.getSocketFactory().createSocket()) {
                s.connect(new InetSocketAddress(target.host(), target.port()), 5000);
                s.setTcpNoDelay(true);
                if (s instanceof SSLSocket ssl) {
                    SSLParameters p = ssl.getSSLParameters();
                    p.setEndpointIdentificationAlgorithm("HTTPS");      // the certificate must name target's host
                    ssl.setSSLParameters(p);
                    ssl.setSoTimeout(5000);
                    ssl.startHandshake();
                    ssl.setSoTimeout(0);
                }
                InputStream in = new BufferedInputStream(s.getInputStream());
                synchronized (lock) {
                    if (!running) {
                        return;
                    }
                    socket = s;
                    out = s.getOutputStream();
                    held.values().forEach(r -> send(RendezvousMessage.register(List.of(r))));
                    entered.forEach(ns -> send(RendezvousMessage.rendezvous(ns)));
                }
                backoff = minBackoffMs;
                listener.connected();
                while (running) {
                    handle(readFrame(in, MAX_INBOUND));
                }
                return;
            } catch (IOException e) {
                reason = e.getMessage() == null ? e.toString() : e.getMessage();
            }
            synchronized (lock) {
                boolean wasUp = out != null;
                closeSocket();
                if (!running) {
                    return;
                }
                if (wasUp) {
                    listener.disconnected(reason);
                }
                Logger.debug("rendezvous client: {} unreachable ({}), retrying in {} ms", target, reason, backoff);
                try {
                    lock.wait(backoff);        // close() wakes this early
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            backoff = Math.min(maxBackoffMs, backoff * 2);
        }
    }

    private void handle(byte[] frame) throws IOException {
        RendezvousWire.Parsed p = RendezvousWire.decode(frame, limits, true);
        if (!p.ok()) {
            throw new IOException("malformed message from service: " + p.problem());
        }
        for (Registration r : p.message().register()) {
            listener.registered(r);
        }
        for (Registration u : p.message().unregister()) {
            boolean mine;
            synchronized (lock) {
                mine = held.remove(key(u.ns(), u.id())) != null;
            }
            if (mine) {
                listener.lost(u.ns(), u.id());
            } else {
                listener.unregistered(u.ns(), u.id());
            }
        }
    }

    private void closeSocket() {
        out = null;
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
            socket = null;
        }
    }

    private static String key(String ns, String id) {
        return ns + '\u0000' + id;
    }

    /** Stops the client and closes its connection; the service then drops its registrations. */
    @Override
    public void close() {
        synchronized (lock) {
            running = false;
            closeSocket();
            lock.notifyAll();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.ferry.edge.transport;

import dev.ferry.edge.metrics.RemoteLog;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What stands in front of one {@link TcpTransport}'s framing: TLS (or nothing, in security mode
 * open), the TLS handshake's deadline, and for a listener the number of connections it holds at
 * once, per source address and in total; and where a refused connection is reported.
 *
 * <p>Callers may rely on: a connection over a limit is closed before anything is read from it;
 * every refusal reaches {@link Refusals#refused} exactly once, with one of the reason codes named
 * there; one guard serves one transport (it counts that listener's connections). Thread-safe.
 */
public final class TcpGuard {
    /** Connections a listener holds at once from one source address (handshaking or up). */
    public static final int PER_SOURCE = 4;
    /** Connections a listener holds at once in total. */
    public static final int TOTAL = 32;

    /** Reason codes of refusals made here (TLS adds those of {@code PeerTls}). */
    public static final String TOO_MANY_FROM_SOURCE = "too_many_from_source";
    public static final String TOO_MANY_CONNECTIONS = "too_many_connections";
    /** A failed TLS handshake when the guard's classifier knows no better. */
    public static final String TLS_FAILED = "tls_failed";

    /** Where refused connections are reported (counted and logged by the implementation). */
    @FunctionalInterface
    public interface Refusals {
        /**
         * @param reason a short code (e.g. {@code untrusted_key}, {@code too_many_from_source})
         * @param remote the other side's address
         * @param detail a message fit for a log line (no wire bytes)
         */
        void refused(String reason, SocketAddress remote, String detail);
    }

    /** Logs refusals through {@link RemoteLog} (rate-limited per reason) and counts nothing. */
    public static final Refusals LOG_ONLY = (reason, remote, detail) ->
            RemoteLog.warn("tcp-refused:" + reason, "refused a connection from {}: {} ({})", remote, detail, reason);

    private final SslContext tls;
    private final Function<Throwable, String> classify;
    private final long handshakeMillis;
    private final Refusals refusals;
    private final int perSource;
    private final int total;
    private final Map<InetAddress, Integer> bySource = new HashMap<>();
    private int open;

    private TcpGuard(SslContext tls, Function<Throwable, String> classify, long handshakeMillis, Refusals refusals,
                     int perSource, int total) {
        if (perSource < 1 || total < perSource || handshakeMillis < 1) {
            throw new IllegalArgumentException("bad limits: " + perSource + " per source, " + total + " in total, "
                    + handshakeMillis + " ms");
        }
        this.tls = tls;
        this.classify = Objects.requireNonNull(classify, "classify");
        this.handshakeMillis = handshakeMillis;
        this.refusals = Objects.requireNonNull(refusals, "refusals");
        this.perSource = perSource;
        this.total = total;
    }

    /** Plain TCP (security mode open). */
    public static TcpGuard plain(Refusals refusals) {
        return new TcpGuard(null, t -> TLS_FAILED, 10_000, refusals, PER_SOURCE, TOTAL);
    }

    /**
     * TLS from {@code context} (a server context for a listener, a client context for a
     * connector), the handshake closed unless done within {@code handshakeMillis}; a failed
     * handshake is reported with the reason code {@code classify} makes of its cause.
     */
    public static TcpGuard tls(SslContext context, long handshakeMillis, Function<Throwable, String> classify,
                               Refusals refusals) {
        return new TcpGuard(Objects.requireNonNull(context, "context"), classify, handshakeMillis, refusals,
                PER_SOURCE, TOTAL);
    }

    /** The same guard with other connection limits (for tests). */
    public TcpGuard withLimits(int perSourceLimit, int totalLimit) {
        return new TcpGuard(tls, classify, handshakeMillis, refusals, perSourceLimit, totalLimit);
    }

    public boolean isTls() {
        return tls != null;
    }

    /** A new TLS handler for {@code ch} with the handshake deadline set; null for plain TCP. */
    SslHandler handler(Channel ch) {
        if (tls == null) {
            return null;
        }
        SslHandler h = tls.newHandler(ch.alloc());
        h.setHandshakeTimeoutMillis(handshakeMillis);
        return h;
    }

    void refused(String reason, SocketAddress remote, String detail) {
        refusals.refused(reason, remote, detail);
    }

    /** Reports a failed TLS handshake: its reason code and its innermost message, excerpted. */
    void handshakeFailed(Throwable cause, SocketAddress remote) {
        Throwable inner = cause;
        while (inner.getCause() != null && inner.getCause() != inner) {
            inner = inner.getCause();
        }
        String message = inner.getMessage() != null ? inner.getMessage() : inner.getClass().getSimpleName();
        refused(classify.apply(cause), remote, RemoteLog.excerpt(message));
    }

    /**
     * Counts a listener's new connection from {@code remote}, or refuses it (reported) when over a
     * limit. A connection admitted must be {@link #release}d when it closes.
     */
    boolean admit(InetSocketAddress remote) {
        String over = null;
        synchronized (this) {
            int n = bySource.getOrDefault(remote.getAddress(), 0);
            if (open >= total) {
                over = TOO_MANY_CONNECTIONS;
            } else if (n >= perSource) {
                over = TOO_MANY_FROM_SOURCE;
            } else {
                bySource.put(remote.getAddress(), n + 1);
                open++;
            }
        }
        if (over != null) {
            refused(over, remote, over.equals(TOO_MANY_CONNECTIONS) ? total + " connections open"
                    : perSource + " connections open from this address");
            return false;
        }
        return true;
    }

    synchronized void release(InetSocketAddress remote) {
        Integer n = bySource.get(remote.getAddress());
        if (n == null) {
            return;
        }
        if (n <= 1) {
            bySource.remove(remote.getAddress());
        } else {
            bySource.put(remote.getAddress(), n - 1);
        }
        open--;
    }
}

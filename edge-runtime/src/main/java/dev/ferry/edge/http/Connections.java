package dev.ferry.edge.http;

import dev.ferry.edge.security.SourceLimiter;
import dev.ferry.rp.Path;
import io.netty.channel.socket.SocketChannel;
import java.net.SocketAddress;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The LAN facade's open connections: who is admitted (a total bound and a per-source bound), the
 * table a reply's return path is looked up in, and the random numbers that name connections.
 *
 * <p>Callers may rely on: {@link #admit} either registers the connection and arranges for it to
 * leave the table and the counts when its channel closes, or returns the reason it was refused
 * and changes nothing; connection numbers are random in 1..10^18-1, so a client cannot guess
 * another's return path; every method is thread-safe.
 */
final class Connections {
    private final int maxConnections;
    private final int queuePerConnection;
    private final SourceLimiter sources;
    private final SecureRandom random = new SecureRandom();
    private final Map<Long, Connection> table = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();

    Connections(int maxConnections, int perSource, int queuePerConnection) {
        this.maxConnections = maxConnections;
        this.queuePerConnection = queuePerConnection;
        this.sources = new SourceLimiter(perSource);
    }

    /** What {@link #admit} decided: the connection, or the drop reason and its detail. */
    record Admission(Connection connection, String reason, String detail) {
    }

    /** Admits {@code ch} as a new connection, or says why not (the caller closes the channel). */
    Admission admit(SocketChannel ch) {
        SocketAddress from = ch.remoteAddress();
        if (count.incrementAndGet() > maxConnections) {
            count.decrementAndGet();
            return new Admission(null, "max_connections", "refusing " + from + ": " + maxConnections + " open");
        }
        if (!sources.acquire(from)) {
            count.decrementAndGet();
            return new Admission(null, "max_connections_per_source",
                    "refusing " + from + ": " + sources.perSource() + " open from that source");
        }
        Connection c = register(ch);
        ch.closeFuture().addListener(f -> {
            table.remove(c.id);
            sources.release(from);
            count.decrementAndGet();
        });
        return new Admission(c, null, null);
    }

    private Connection register(SocketChannel ch) {
        while (true) {
            long id = 1 + Math.floorMod(random.nextLong(), 999_999_999_999_999_999L);   // 1..10^18-1
            Connection c = new Connection(id, ch, queuePerConnection);
            if (table.putIfAbsent(id, c) == null) {
                return c;
            }
        }
    }

    /** The connection a return path {@code /<n>...} names, or null. */
    Connection of(Path to) {
        long id = idOf(to);
        return id < 0 ? null : table.get(id);
    }

    /** The connection number in {@code /<n>...}, or -1. */
    static long idOf(Path to) {
        String s = to.toString();
        long n = 0;
        int i = 1;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '/' || c == '#') {
                break;
            }
            if (c < '0' || c > '9' || i > 18) {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return i == 1 ? -1 : n;
    }

    /** Open connections now. */
    int count() {
        return count.get();
    }

    /** A live view of the open connections. */
    Collection<Connection> all() {
        return table.values();
    }
}

package dev.ferry.edge.security;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open connections per source, bounded: a listener asks {@link #acquire} for every accepted
 * connection and calls {@link #release} when it closes, so that one host cannot hold all of a
 * listener's connections and deny it to everyone else (issue 14: 300 slow connections from one
 * address). A source is an IPv4 address, or an IPv6 /64 (one host usually owns a whole /64, and
 * could otherwise pick a fresh address per connection); loopback is its own source like any other.
 *
 * <p>The table holds only sources with at least one open connection, so its size is bounded by
 * the listener's own connection limit. Thread-safe.
 */
public final class SourceLimiter {
    private final int perSource;
    private final ConcurrentHashMap<Object, Integer> open = new ConcurrentHashMap<>();

    public SourceLimiter(int perSource) {
        if (perSource < 1) {
            throw new IllegalArgumentException("perSource must be positive: " + perSource);
        }
        this.perSource = perSource;
    }

    public int perSource() {
        return perSource;
    }

    /**
     * Counts one more connection from {@code remote}; false (and nothing counted) when that source
     * already has {@link #perSource()} open. An address that is not an IP socket address is one
     * shared source.
     */
    public boolean acquire(SocketAddress remote) {
        Object key = key(remote);
        boolean[] ok = {false};
        open.compute(key, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= perSource) {
                return n;
            }
            ok[0] = true;
            return now + 1;
        });
        return ok[0];
    }

    /** Forgets one connection from {@code remote} (one that {@link #acquire} admitted). */
    public void release(SocketAddress remote) {
        open.computeIfPresent(key(remote), (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Open connections from {@code remote}'s source now. */
    public int open(SocketAddress remote) {
        return open.getOrDefault(key(remote), 0);
    }

    /** Sources with open connections now. */
    public int sources() {
        return open.size();
    }

    static Object key(SocketAddress remote) {
        if (!(remote instanceof InetSocketAddress isa) || isa.getAddress() == null) {
            return "other";
        }
        InetAddress a = isa.getAddress();
        if (a instanceof Inet6Address && !a.isLoopbackAddress()) {
            return new Prefix(Arrays.copyOf(a.getAddress(), 8));
        }
        return a;
    }

    /** An IPv6 /64. */
    private record Prefix(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Prefix p && Arrays.equals(p.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }
}

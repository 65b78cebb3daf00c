package dev.ferry.edge.resi;

import dev.ferry.edge.config.PeerConfig;
import dev.ferry.edge.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link PeerLink}'s transports and the liveness of each: one {@link PathHealth} (handshake,
 * ping/pong, copy integrity, round trip) per transport, the live set as a bit mask (what strict
 * mode waits for), the carrying set (what sequenced envelopes are sent on: the live set plus
 * failing paths, see {@link PathHealth#carries}), and sending the same bytes on every carrying or
 * handshaken transport. Transport i has {@code index() == i}; at most 64. Guarded by the link's
 * monitor, like every part of the link.
 */
final class LinkPaths {
    private final List<Transport> transports;
    private final PathHealth[] paths;
    private final LinkCounters n;

    /**
     * @param transports the peer's transports (an unmodifiable copy), in configuration order
     * @throws IllegalArgumentException for none, more than 64, or a transport at the wrong index
     */
    LinkPaths(PeerConfig config, List<Transport> transports, LinkCounters n, long tickNanos) {
        this.transports = transports;
        this.n = n;
        if (transports.isEmpty() || transports.size() > 64) {
            throw new IllegalArgumentException("a peer link needs 1..64 transports");
        }
        paths = new PathHealth[transports.size()];
        for (int i = 0; i < paths.length; i++) {
            if (transports.get(i).index() != i) {
                throw new IllegalArgumentException("transport " + i + " has index " + transports.get(i).index());
            }
            paths[i] = new PathHealth(TimeUnit.MILLISECONDS.toNanos(config.pingIntervalMs()),
                    config.deadAfterPings(), TimeUnit.MILLISECONDS.toNanos(config.handshakeTimeoutMs()), tickNanos,
                    config.maxBadCopies());
        }
    }

    int size() {
        return paths.length;
    }

    /** The transports, in configuration order (unmodifiable). */
    List<Transport> transports() {
        return transports;
    }

    Transport transport(int i) {
        return transports.get(i);
    }

    PathHealth path(int i) {
        return paths[i];
    }

    /** Bit i set while transport i is live. */
    long liveMask() {
        long m = 0;
        for (int i = 0; i < paths.length; i++) {
            if (paths[i].isLive()) {
                m |= 1L << i;
            }
        }
        return m;
    }

    /** Bit i set while transport i carries sequenced envelopes (live, or failing but otherwise up). */
    long carryMask() {
        long m = 0;
        for (int i = 0; i < paths.length; i++) {
            if (paths[i].carries()) {
                m |= 1L << i;
            }
        }
        return m;
    }

    /** The names of the live transports, for logs. */
    String liveNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < paths.length; i++) {
            if (paths[i].isLive()) {
                names.add(transports.get(i).name());
            }
        }
        return names.toString();
    }

    /** Sends {@code bytes} on every carrying transport; each refusal is counted. */
    void sendOnLive(byte[] bytes) {
        for (int i = 0; i < paths.length; i++) {
            if (paths[i].carries() && !transports.get(i).send(bytes)) {
                n.sendRefused++;
            }
        }
    }

    /** Sends {@code bytes} on every handshaken transport, live or not. */
    void sendOnHandshaken(byte[] bytes) {
        for (int i = 0; i < paths.length; i++) {
            if (paths[i].handshaken()) {
                transports.get(i).send(bytes);
            }
        }
    }

    /** The largest round trip of the carrying transports, 0 when none carries or is measured. */
    long maxLiveRttNanos() {
        long rtt = 0;
        for (PathHealth p : paths) {
            if (p.carries()) {
                rtt = Math.max(rtt, p.rttNanos());
            }
        }
        return rtt;
    }

    /** Each transport's part of {@link LinkHealth} at {@code now}, in configuration order. */
    List<LinkHealth.TransportHealth> health(long now) {
        List<LinkHealth.TransportHealth> ts = new ArrayList<>();
        for (int i = 0; i < paths.length; i++) {
            PathHealth p = paths[i];
            ts.add(new LinkHealth.TransportHealth(transports.get(i).name(), p.pathState().name(),
                    transports.get(i).state().name(), p.handshaken(), p.isLive(),
                    p.rttNanos() < 0 ? -1 : p.rttNanos() / 1000, p.loss(now), p.pingsSent(), p.pongsReceived(),
                    p.integrity().badTotal()));
        }
        return ts;
    }
}

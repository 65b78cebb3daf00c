package dev.ferry.edge.resi;

import dev.ferry.edge.config.HostPort;
import dev.ferry.edge.config.PeerConfig;
import dev.ferry.edge.config.TransportConfig;
import dev.ferry.edge.route.Route;
import dev.ferry.edge.route.RouteTable;
import dev.ferry.edge.transport.TcpTransport;
import dev.ferry.edge.transport.Transport;
import dev.ferry.edge.transport.UdpTransport;
import dev.ferry.rp.Path;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds peer links from configuration ({@code [[peers]]}, or the seed's {@code [Tcp]} peer
 * {@code resi}: a TCP connect and a TCP listen transport).
 *
 * <pre>
 *   EventLoopGroup group = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
 *   for (PeerConfig p : config.peers()) {
 *       PeerLink link = PeerLinks.fromConfig(p, config.node().id(),
 *               PeerLinks.mountFor(router.table(), p.id()), group, LinkOptions.defaults());
 *       link.exportMetrics(metrics);            // ferry_resi_*{peer=...}
 *       relay.add(link);                        // passes Modify extensions between peers
 *       link.startWith(router, relay);          // router.attach + start
 *       runtime.add(new RuntimeResource("peers/" + p.id(), g -> link.health().write(g), true, schema));
 *   }
 * </pre>
 */
public final class PeerLinks {
    private PeerLinks() { }

    /**
     * Where a peer's own paths appear in this node's namespace: the prefix of a mount route
     * (strip = prefix, nothing added) whose target is {@code peer:<id>}, shortest first; else
     * {@code /#peers/<id>}.
     */
    public static Path mountFor(RouteTable table, String peerId) {
        String target = "peer:" + peerId;
        Path best = null;
        for (Route r : table.routes()) {
            if (r.target().equals(target) && r.strip().equals(r.prefix()) && r.add().equals(Path.ROOT)
                    && (best == null || r.prefix().toString().length() < best.toString().length())) {
                best = r.prefix();
            }
        }
        return best != null ? best : Path.of("/#peers/" + peerId);
    }

    /**
     * A link for {@code peer} with one transport per {@code [[peers.transports]]} entry, not yet
     * started. Host names are resolved here.
     *
     * @throws IllegalArgumentException for a transport kind not implemented (raet)
     */
    public static PeerLink fromConfig(PeerConfig peer, String localNode, Path mount, EventLoopGroup group,
                                      LinkOptions options) {
        return fromConfig(peer, localNode, mount, group, options, null);
    }

    /**
     * As {@link #fromConfig(PeerConfig, String, Path, EventLoopGroup, LinkOptions)}, with
     * {@code raet} making the transports of kind raet (RAET lives in its own package, with keys
     * this package knows nothing about).
     */
    public static PeerLink fromConfig(PeerConfig peer, String localNode, Path mount, EventLoopGroup group,
                                      LinkOptions options, java.util.function.BiFunction<Integer, TransportConfig,
                                      Transport> raet) {
        // One event loop for the link and all its transports: the copies of an envelope are merged
        // on the thread that read them, in arrival order, with no contention for the link's lock.
        EventLoop loop = group.next();
        List<Transport> ts = new ArrayList<>();
        for (TransportConfig tc : peer.transports()) {
            ts.add(tc.kind() == TransportConfig.Kind.RAET && raet != null ? raet.apply(ts.size(), tc)
                    : transport(ts.size(), tc, loop, options));
        }
        return new PeerLink(peer, localNode, mount, ts, loop, options, System::nanoTime);
    }

    static Transport transport(int index, TransportConfig tc, EventLoopGroup group, LinkOptions o) {
        switch (tc.kind()) {
            case TCP:
                if (tc.connect().isPresent()) {
                    return new TcpTransport(index, TcpTransport.Role.CONNECT, address(tc.connect().get()), tc.bind(),
                            tc.reconnectMaxMs(), group, o.maxEnvelope(), o.maxQueuedBytes());
                }
                return new TcpTransport(index, TcpTransport.Role.LISTEN, address(tc.listen().orElseThrow()),
                        tc.bind(), tc.reconnectMaxMs(), group, o.maxEnvelope(), o.maxQueuedBytes());
            case UDP:
                if (tc.connect().isPresent()) {
                    InetSocketAddress local = tc.bind().map(h -> new InetSocketAddress(h, 0))
                            .orElseGet(() -> new InetSocketAddress(0));
                    return new UdpTransport(index, address(tc.connect().get()), local, o.datagramSize(),
                            o.maxEnvelope(), group, o.maxQueuedBytes());
                }
                return new UdpTransport(index, null, address(tc.listen().orElseThrow()), o.datagramSize(),
                        o.maxEnvelope(), group, o.maxQueuedBytes());
            default:
                throw new IllegalArgumentException("transport kind " + tc.kind().name().toLowerCase(java.util.Locale.ROOT)
                        + " needs its factory (RaetTransport.create) and keys; use tcp or udp here");
        }
    }

    private static InetSocketAddress address(HostPort hp) {
        return new InetSocketAddress(hp.host(), hp.port());
    }
}

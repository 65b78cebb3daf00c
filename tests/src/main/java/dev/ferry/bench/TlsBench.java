package dev.ferry.bench;

import dev.ferry.edge.config.PeerConfig;
import dev.ferry.edge.transport.TcpGuard;
import dev.ferry.edge.transport.TcpTransport;
import dev.ferry.edge.transport.Transport;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The cost of TLS on peer links, for {@link ResiBench} ({@code --only tls}):
 * <ol>
 *   <li>throughput of a RESI link (2 TCP transports, permissive) over TLS 1.3 as security mode
 *       signed makes it, against the same link over plain TCP, side by side in each round;</li>
 *   <li>the time to set up one connection, from the connector's start until the listener has it
 *       as its authenticated connection (TCP connect, TLS 1.3 handshake with both Ed25519 keys
 *       checked), against a plain TCP connection measured the same way.</li>
 * </ol>
 */
final class TlsBench {
    private TlsBench() { }

    static void run(EventLoopGroup group, int n, int rounds, int handshakes) throws Exception {
        for (int warm = 0; warm < 2; warm++) {
            ResiBench.resi(group, PeerConfig.Mode.PERMISSIVE, n / 2, false);
            ResiBench.resi(group, PeerConfig.Mode.PERMISSIVE, n / 2, true);
        }
        double[] plain = new double[rounds];
        double[] tls = new double[rounds];
        double[] ratio = new double[rounds];
        double[] cpuPlain = new double[rounds];
        double[] cpuTls = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ResiBench.Run p = ResiBench.resi(group, PeerConfig.Mode.PERMISSIVE, n, false);
            ResiBench.Run t = ResiBench.resi(group, PeerConfig.Mode.PERMISSIVE, n, true);
            plain[r] = p.rate();
            tls[r] = t.rate();
            cpuPlain[r] = p.cpuMicros();
            cpuTls[r] = t.cpuMicros();
            ratio[r] = t.rate() / p.rate();
            System.out.printf("  round %d: RESI plain TCP %.0f msg/s (%.2f us CPU/msg), over TLS %.0f (%.2f), ratio %.2f%n",
                    r + 1, p.rate(), p.cpuMicros(), t.rate(), t.cpuMicros(), ratio[r]);
        }
        System.out.printf("RESI over TLS 1.3, permissive, median of %d rounds of %d: plain TCP %.0f msg/s (%.2f us CPU/msg),"
                + " TLS %.0f msg/s (%.2f us), ratio %.2f (goal >= 0.6)%n", rounds, n, ResiBench.median(plain),
                ResiBench.median(cpuPlain), ResiBench.median(tls), ResiBench.median(cpuTls), ResiBench.median(ratio));
        BenchSamples plainSetup = setups(group, handshakes, false);
        BenchSamples tlsSetup = setups(group, handshakes, true);
        System.out.printf("connection set-up, %d each: plain TCP median %.2f ms (p90 %.2f); TLS 1.3 with both keys"
                + " checked median %.2f ms (p90 %.2f, min %.2f)%n", handshakes, plainSetup.medianMs(),
                plainSetup.percentileMs(90), tlsSetup.medianMs(), tlsSetup.percentileMs(90), tlsSetup.minMs());
    }

    /** Connects {@code count} times (after 20 unmeasured), each time until the listener reports UP. */
    static BenchSamples setups(EventLoopGroup group, int count, boolean tls) throws Exception {
        TcpGuard[] g = tls ? ResiBenchPair.tlsGuards() : new TcpGuard[] {TcpGuard.plain(TcpGuard.LOG_ONLY),
                TcpGuard.plain(TcpGuard.LOG_ONLY)};
        Semaphore up = new Semaphore(0);
        TcpTransport server = new TcpTransport(0, TcpTransport.Role.LISTEN, new InetSocketAddress("127.0.0.1", 0),
                Optional.empty(), 1000, group.next(), ResiBenchPair.FRAME, ResiBenchPair.QUEUED, g[1]);
        server.setReceiver(new ResiBench.Receiver(new java.util.concurrent.CountDownLatch(0)) {
            @Override
            public void onState(Transport t, Transport.State s, String reason) {
                if (s == Transport.State.UP) {
                    up.release();
                }
            }
        });
        server.start();
        BenchSamples samples = new BenchSamples(count);
        try {
            for (int i = 0; i < count + 20; i++) {
                TcpTransport client = new TcpTransport(0, TcpTransport.Role.CONNECT, server.localAddress().orElseThrow(),
                        Optional.empty(), 1000, group.next(), ResiBenchPair.FRAME, ResiBenchPair.QUEUED, g[0]);
                client.setReceiver(new ResiBench.Receiver(new java.util.concurrent.CountDownLatch(0)));
                long t0 = System.nanoTime();
                client.start();
                if (!up.tryAcquire(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no connection after 10 s (" + (tls ? "TLS" : "plain") + ")");
                }
                if (i >= 20) {
                    samples.add(System.nanoTime() - t0);
                }
                client.stop();
            }
        } finally {
            server.stop();
        }
        return samples;
    }
}

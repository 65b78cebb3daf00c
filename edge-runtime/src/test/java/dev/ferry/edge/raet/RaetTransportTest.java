package dev.ferry.edge.raet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.config.SecurityConfig;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.transport.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Two RAET transports on 127.0.0.1 through a lossy proxy (10% loss, duplicates, reordering, corruption). */
@Tag("system")
class RaetTransportTest {
    static final class Sink implements Transport.Receiver {
        final List<byte[]> envelopes = new CopyOnWriteArrayList<>();
        final List<byte[]> side = new CopyOnWriteArrayList<>();
        volatile Transport.State state = Transport.State.DOWN;

        @Override
        public void onEnvelope(Transport t, byte[] e) {
            envelopes.add(e);
        }

        @Override
        public void onState(Transport t, Transport.State s, String reason) {
            state = s;
        }

        @Override
        public void onGarbage(Transport t, String reason) { }
    }

    static void await(BooleanSupplier c, long ms, String what) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Listener (B) and joiner (A, through the proxy). */
    static final class Pair implements AutoCloseable {
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        final Metrics metrics = new Metrics();
        final Sink atA = new Sink();
        final Sink atB = new Sink();
        final RaetTransport a;
        final RaetTransport b;
        final LossyUdpProxy proxy;

        Pair(SecurityConfig.Mode mode, RaetOptions o) throws Exception {
            RaetKeys[] k = Fixtures.keys(mode);
            InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
            b = new RaetTransport(0, null, any, group, k[1], o, new RaetCounters(metrics, "b"), 64L << 20, 2 << 20);
            b.setReceiver(atB);
            b.setSideListener((kind, body) -> atB.side.add(body));
            b.setResponder(x -> x.clone());
            b.start();
            proxy = new LossyUdpProxy(b.localAddress().orElseThrow());
            a = new RaetTransport(0, proxy.address(), any, group, k[0], o, new RaetCounters(metrics, "a"), 64L << 20, 2 << 20);
            a.setReceiver(atA);
            a.start();
            await(() -> atA.state == Transport.State.UP && atB.state == Transport.State.UP, 10_000, "session");
        }

        @Override
        public void close() {
            a.stop();
            b.stop();
            proxy.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @ParameterizedTest
    @EnumSource(value = SecurityConfig.Mode.class, names = {"OPEN", "ENCRYPTED"})
    void kindsAtoDOverLoopbackAtTenPercentLoss(SecurityConfig.Mode mode) throws Exception {
        try (Pair p = new Pair(mode, RaetOptions.defaults())) {
            p.proxy.faults(0.10, 0.05, 0.05, 0.01);
            int n = 300;
            for (int i = 0; i < n; i++) {
                assertTrue(p.a.send(Fixtures.numbered(i, 10 + i * 17)));
            }
            await(() -> p.atB.envelopes.size() >= n, 30_000, "kind C");
            for (int i = 0; i < n; i++) {
                assertArrayEquals(Fixtures.numbered(i, 10 + i * 17), p.atB.envelopes.get(i), "C in order, intact");
            }
            for (int i = 0; i < 100; i++) {
                assertTrue(p.a.sendOnce(Fixtures.numbered(1000 + i, 20), i % 2 == 0).get(5, TimeUnit.SECONDS));
            }
            await(() -> p.atB.side.size() >= 100, 30_000, "kind B");
            List<CompletableFuture<byte[]>> rs = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                rs.add(p.a.request(Fixtures.numbered(2000 + i, 30)));
            }
            for (int i = 0; i < 50; i++) {
                assertArrayEquals(Fixtures.numbered(2000 + i, 30), rs.get(i).get(30, TimeUnit.SECONDS), "kind D response");
            }
            int before = p.atB.side.size();
            for (int i = 0; i < 200; i++) {
                assertTrue(p.a.sendMaybe(Fixtures.numbered(3000 + i, 20)).get(5, TimeUnit.SECONDS));
            }
            await(() -> distinct(p.atB.side, 3000, 3200) >= 190, 10_000, "kind A mostly arrives");
            // a snapshot: kind A repeats may still be arriving, and a live subList would fail on them
            List<byte[]> sideBefore = new java.util.ArrayList<>(p.atB.side).subList(0, before);
            assertEquals(100, distinct(sideBefore, 1000, 1100), "B exactly once");
            assertEquals(100, count(sideBefore, 1000, 1100), "B never twice");
            assertEquals(n, p.atB.envelopes.size(), "C never twice");
        }
    }

    @ParameterizedTest
    @EnumSource(value = SecurityConfig.Mode.class, names = {"OPEN", "ENCRYPTED"})
    void oneMebibyteArrivesIntactAtTenPercentLoss(SecurityConfig.Mode mode) throws Exception {
        try (Pair p = new Pair(mode, RaetOptions.defaults())) {
            p.proxy.faults(0.10, 0.02, 0.05, 0.01);
            byte[] big = Fixtures.numbered(99, 1 << 20);
            assertTrue(p.a.send(big));
            await(() -> p.atB.envelopes.size() == 1, 60_000, "1 MiB");
            assertArrayEquals(big, p.atB.envelopes.get(0));
            await(() -> p.a.queuedBytes() == 0, 10_000, "sender released the message");
        }
    }

    private static int distinct(List<byte[]> l, int from, int to) {
        Set<Integer> s = new HashSet<>();
        for (byte[] b : l) {
            int k = Fixtures.number(b);
            if (k >= from && k < to) {
                s.add(k);
            }
        }
        return s.size();
    }

    private static int count(List<byte[]> l, int from, int to) {
        int c = 0;
        for (byte[] b : l) {
            int k = Fixtures.number(b);
            if (k >= from && k < to) {
                c++;
            }
        }
        return c;
    }
}

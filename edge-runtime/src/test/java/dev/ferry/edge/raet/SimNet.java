package dev.ferry.edge.raet;

import dev.ferry.edge.metrics.Metrics;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * Two RAET stacks joined by a simulated network with a virtual clock: seeded loss, duplication,
 * reordering (random extra delay) and corruption. Deterministic, no sockets, no threads.
 */
final class SimNet {
    static final InetSocketAddress A_ADDR = new InetSocketAddress("127.0.0.1", 1001);
    static final InetSocketAddress B_ADDR = new InetSocketAddress("127.0.0.1", 1002);

    final Random random;
    double loss;
    double duplicate;
    double reorder;
    double corrupt;
    long now = 1_000_000_000L;
    private long seq;
    private final PriorityQueue<long[]> queue = new PriorityQueue<>((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0])
            : Long.compare(x[1], y[1]));
    private final List<byte[]> payloads = new ArrayList<>();
    final List<byte[]> capturedToB = new ArrayList<>();
    final List<byte[]> capturedToA = new ArrayList<>();
    final Metrics metrics = new Metrics();
    final Collector atA = new Collector();
    final Collector atB = new Collector();
    final RaetStack a;
    final RaetStack b;

    SimNet(long seed, RaetKeys keysA, RaetKeys keysB, RaetOptions o) {
        random = new Random(seed);
        a = new RaetStack(B_ADDR, keysA, o, (d, to) -> post(d, true), atA, new RaetCounters(metrics, "a"), 1 << 16);
        b = new RaetStack(null, keysB, o, (d, to) -> post(d, false), atB, new RaetCounters(metrics, "b"), 1 << 16);
        b.start(now);
        a.start(now);
    }

    private void post(byte[] d, boolean toB) {
        (toB ? capturedToB : capturedToA).add(d.clone());
        if (random.nextDouble() < loss) {
            return;
        }
        int copies = random.nextDouble() < duplicate ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            byte[] c = d.clone();
            if (random.nextDouble() < corrupt) {
                c[random.nextInt(c.length)] ^= (byte) (1 + random.nextInt(255));
            }
            long delay = 50_000 + (random.nextDouble() < reorder ? random.nextInt(2_000_000) : 0);
            payloads.add(c);
            queue.add(new long[] {now + delay, seq++, payloads.size() - 1, toB ? 1 : 0});
        }
    }

    /** Injects raw bytes to B as if from A. */
    void injectToB(byte[] d) {
        b.onDatagram(d, d.length, A_ADDR, now);
        b.onBatchEnd(now);
    }

    /** Runs the network until {@code done} or {@code maxNanos} of virtual time pass. */
    boolean runUntil(BooleanSupplier done, long maxNanos) {
        long end = now + maxNanos;
        long nextTick = now;
        while (now < end) {
            if (done.getAsBoolean()) {
                return true;
            }
            long[] head = queue.peek();
            long next = head == null ? nextTick : Math.min(head[0], nextTick);
            now = Math.max(now, next);
            boolean toA = false;
            boolean toB = false;
            while (!queue.isEmpty() && queue.peek()[0] <= now) {
                long[] e = queue.poll();
                byte[] d = payloads.get((int) e[2]);
                payloads.set((int) e[2], null);
                if (e[3] == 1) {
                    b.onDatagram(d, d.length, A_ADDR, now);
                    toB = true;
                } else {
                    a.onDatagram(d, d.length, B_ADDR, now);
                    toA = true;
                }
            }
            if (toA) {
                a.onBatchEnd(now);
            }
            if (toB) {
                b.onBatchEnd(now);
            }
            if (now >= nextTick) {
                a.tick(now);
                b.tick(now);
                nextTick = now + 1_000_000;
            }
        }
        return done.getAsBoolean();
    }

    /** Collects what a stack delivers. */
    static final class Collector implements RaetStack.Listener {
        final List<byte[]> seq = new ArrayList<>();
        final List<byte[]> once = new ArrayList<>();
        final List<byte[]> maybe = new ArrayList<>();
        final List<Boolean> sessions = new ArrayList<>();
        long released;

        @Override
        public void onMessage(ServiceKind kind, byte[] body) {
            (kind == ServiceKind.SEQUENCE ? seq : kind == ServiceKind.ONCE ? once : maybe).add(body);
        }

        @Override
        public byte[] onRequest(byte[] body) {
            byte[] r = body.clone();
            for (int i = 0; i < r.length; i++) {
                r[i] = (byte) ~r[i];
            }
            return r;
        }

        @Override
        public void onSession(boolean up, String reason) {
            sessions.add(up);
        }

        @Override
        public void onReleased(int bytes, boolean delivered) {
            released += bytes;
        }
    }
}

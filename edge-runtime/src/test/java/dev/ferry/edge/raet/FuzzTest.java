package dev.ferry.edge.raet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.config.SecurityConfig;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of the header parser and the whole packet decoder (decode, session open,
 * transactions) for {@code ferry.fuzz.seconds} each (default 5): every input gets a typed result,
 * nothing throws, allocation per input stays bounded.
 */
@Tag("small")
class FuzzTest {
    private static final long SECONDS = Long.getLong("ferry.fuzz.seconds", 5);

    private static byte[] mutate(Random r, byte[] seed) {
        byte[] d = seed.clone();
        switch (r.nextInt(6)) {
            case 0:
                d[r.nextInt(d.length)] = (byte) r.nextInt(256);
                return d;
            case 1: {
                int i = r.nextInt(d.length);
                d[i] = (byte) "{}\":,0123456789abcdefhklnstvr\r\n\"".charAt(r.nextInt(32));
                return d;
            }
            case 2:
                return java.util.Arrays.copyOf(d, r.nextInt(d.length + 1));
            case 3: {
                byte[] g = new byte[r.nextInt(700)];
                r.nextBytes(g);
                return g;
            }
            case 4: {
                int a = r.nextInt(d.length);
                int b = r.nextInt(d.length);
                byte t = d[a];
                d[a] = d[b];
                d[b] = t;
                return d;
            }
            default: {
                byte[] longer = java.util.Arrays.copyOf(d, d.length + r.nextInt(64));
                r.nextBytes(java.util.Arrays.copyOfRange(longer, d.length, longer.length));
                return longer;
            }
        }
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void headerParserAlwaysReturnsATypedResult() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        for (String[] v : Vectors.read()) {
            if (!v[0].equals("K")) { // K lines are key-derivation vectors, not datagrams
                seeds.add(Crypto.hex(v[0].equals("P") ? v[5] : v[3]));
            }
        }
        Random r = new Random(20240601);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        long n = 0;
        long ok = 0;
        long parseAlloc = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) {
                byte[] d = mutate(r, seeds.get(r.nextInt(seeds.size())));
                long before = allocated();
                HeaderCodec.Result res = HeaderCodec.parse(d, d.length);
                parseAlloc += allocated() - before;
                assertNotNull(res);
                assertTrue(res.ok() == (res.drop() == null));
                if (res.ok()) {
                    ok++;
                    assertTrue(res.length() <= HeaderCodec.MAX_HEADER && res.header().hl() == res.length());
                }
                n++;
            }
        }
        assertTrue(n > 1000, "ran " + n);
        assertTrue(ok > 0, "some mutants stay valid");
        assertTrue(parseAlloc / n < 1024, "allocation per parse bounded: " + parseAlloc / n);
    }

    @Test
    void packetDecoderCountsEveryBadDatagramAndNeverThrows() {
        for (SecurityConfig.Mode mode : new SecurityConfig.Mode[] {SecurityConfig.Mode.OPEN, SecurityConfig.Mode.ENCRYPTED}) {
            RaetKeys[] k = Fixtures.keys(mode);
            SimNet net = new SimNet(9, k[0], k[1], RaetOptions.defaults());
            assertTrue(net.runUntil(() -> net.a.isUp() && net.b.isUp(), TimeUnit.SECONDS.toNanos(10)));
            for (int i = 0; i < 50; i++) {
                net.a.sendSequenced(Fixtures.numbered(i, 1 + i * 100), net.now);
                net.a.sendOnce(Fixtures.numbered(i, 10), false, net.now);
                net.a.request(Fixtures.numbered(i, 10), net.now);
            }
            assertTrue(net.runUntil(() -> net.atB.seq.size() == 50, TimeUnit.SECONDS.toNanos(10)));
            List<byte[]> seeds = new ArrayList<>(net.capturedToB);
            Random r = new Random(77);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS) / 2;
            long fed = 0;
            long dropsBefore = net.b.counters().totalDropped();
            int delivered = net.atB.seq.size() + net.atB.once.size() + net.atB.maybe.size();
            long maxAlloc = 0;
            while (System.nanoTime() < end) {
                for (int i = 0; i < 200; i++) {
                    byte[] d = mutate(r, seeds.get(r.nextInt(seeds.size())));
                    long before = allocated();
                    net.injectToB(d);
                    maxAlloc = Math.max(maxAlloc, allocated() - before);
                    fed++;
                }
            }
            long drops = net.b.counters().totalDropped() - dropsBefore;
            int deliveredAfter = net.atB.seq.size() + net.atB.once.size() + net.atB.maybe.size();
            assertTrue(fed > 1000, "fed " + fed);
            assertTrue(drops > fed / 2, mode + ": most mutants are typed drops: " + drops + " of " + fed);
            if (mode == SecurityConfig.Mode.ENCRYPTED) {
                assertEquals(delivered, deliveredAfter, "nothing forged or replayed reaches the upper layer");
            }
            assertTrue(maxAlloc < 8L << 20, "allocation per datagram bounded: " + maxAlloc);
        }
    }
}

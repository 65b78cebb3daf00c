package dev.ferry.edge.raet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.config.SecurityConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Kinds A-D between two stacks over a simulated network with 10% loss, duplicates, reordering, corruption. */
@Tag("small")
class StackKindsTest {
    private static final long MINUTE = TimeUnit.SECONDS.toNanos(60);

    static SimNet lossy(SecurityConfig.Mode mode, long seed) {
        RaetKeys[] k = Fixtures.keys(mode);
        SimNet n = new SimNet(seed, k[0], k[1], RaetOptions.defaults());
        n.loss = 0.10;
        n.duplicate = 0.05;
        n.reorder = 0.10;
        n.corrupt = 0.02;
        assertTrue(n.runUntil(() -> n.a.isUp() && n.b.isUp(), MINUTE), "session up");
        return n;
    }

    @ParameterizedTest
    @EnumSource(SecurityConfig.Mode.class)
    void sequenceDeliversInOrderExactlyOnce(SecurityConfig.Mode mode) {
        SimNet n = lossy(mode, 1);
        int count = mode == SecurityConfig.Mode.SIGNED ? 60 : 300;
        for (int i = 0; i < count; i++) {
            assertTrue(n.a.sendSequenced(Fixtures.numbered(i, 1 + (i * 397) % 5000), n.now));
        }
        assertTrue(n.runUntil(() -> n.atB.seq.size() >= count && n.a.queuedSequenced() == 0, MINUTE), "all delivered");
        n.runUntil(() -> false, TimeUnit.MILLISECONDS.toNanos(200));
        assertEquals(count, n.atB.seq.size(), "no duplicates");
        for (int i = 0; i < count; i++) {
            assertArrayEquals(Fixtures.numbered(i, 1 + (i * 397) % 5000), n.atB.seq.get(i));
        }
        assertTrue(n.a.counters().retransmits() > 0, "loss forced resends");
        assertTrue(n.b.counters().totalDropped() > 0, "corruption was caught");
    }

    @ParameterizedTest
    @EnumSource(value = SecurityConfig.Mode.class, names = {"OPEN", "ENCRYPTED"})
    void oneMebibyteThroughSegmentation(SecurityConfig.Mode mode) {
        SimNet n = lossy(mode, 2);
        byte[] big = Fixtures.numbered(7, 1 << 20);
        assertTrue(n.a.sendSequenced(big, n.now));
        assertTrue(n.runUntil(() -> n.atB.seq.size() == 1, MINUTE), () -> "1 MiB arrived; " + n.metrics.snapshot()
                + " inflight " + n.a.queuedSequenced());
        assertArrayEquals(big, n.atB.seq.get(0));
        assertTrue(n.runUntil(() -> n.a.queuedSequenced() == 0, MINUTE), "sender released it");
        assertEquals(1 << 20, n.atA.released);
    }

    @ParameterizedTest
    @EnumSource(value = SecurityConfig.Mode.class, names = {"OPEN", "ENCRYPTED"})
    void onceDeliversExactlyOnceWithFiniteAndInfiniteRetries(SecurityConfig.Mode mode) {
        SimNet n = lossy(mode, 3);
        n.duplicate = 0.2;
        int count = 200;
        for (int i = 0; i < count; i++) {
            assertTrue(n.a.sendOnce(Fixtures.numbered(i, 100), i % 2 == 0, n.now));
        }
        assertTrue(n.runUntil(() -> n.a.openTransactions() == 0, MINUTE), "all acknowledged");
        n.runUntil(() -> false, TimeUnit.MILLISECONDS.toNanos(500));
        Set<Integer> seen = new HashSet<>();
        for (byte[] m : n.atB.once) {
            assertTrue(seen.add(Fixtures.number(m)), "delivered twice: " + Fixtures.number(m));
        }
        assertEquals(count, seen.size());
        assertTrue(n.b.counters().duplicates() > 0, "duplicates were detected");
    }

    @ParameterizedTest
    @EnumSource(value = SecurityConfig.Mode.class, names = {"OPEN", "ENCRYPTED"})
    void maybeIsRepeatedAndUnacknowledged(SecurityConfig.Mode mode) {
        SimNet n = lossy(mode, 4);
        int count = 500;
        for (int i = 0; i < count; i++) {
            assertTrue(n.a.sendMaybe(Fixtures.numbered(i, 50), n.now));
        }
        n.runUntil(() -> false, TimeUnit.MILLISECONDS.toNanos(500));
        Set<Integer> distinct = new HashSet<>();
        for (byte[] m : n.atB.maybe) {
            assertArrayEquals(Fixtures.numbered(Fixtures.number(m), 50), m);
            distinct.add(Fixtures.number(m));
        }
        assertTrue(distinct.size() >= count * 95 / 100, "most arrive: " + distinct.size());
        assertTrue(n.atB.maybe.size() > distinct.size(), "repeats arrive as copies (one or more)");
        assertEquals(0, n.a.openTransactions(), "no transaction kept after the repeats");
    }

    @ParameterizedTest
    @EnumSource(value = SecurityConfig.Mode.class, names = {"OPEN", "ENCRYPTED"})
    void endToEndRequestsGetTheirResponses(SecurityConfig.Mode mode) throws Exception {
        SimNet n = lossy(mode, 5);
        List<CompletableFuture<byte[]>> fs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            fs.add(n.a.request(Fixtures.numbered(i, 64), n.now));
        }
        assertTrue(n.runUntil(() -> fs.stream().allMatch(CompletableFuture::isDone), MINUTE), "all answered");
        for (int i = 0; i < 100; i++) {
            byte[] want = Fixtures.numbered(i, 64);
            byte[] got = fs.get(i).get();
            for (int k = 0; k < want.length; k++) {
                assertEquals((byte) ~want[k], got[k]);
            }
        }
        assertTrue(n.runUntil(() -> n.a.openTransactions() == 0 && n.b.openTransactions() == 0, MINUTE),
                "both sub-transactions closed");
    }

    @ParameterizedTest
    @EnumSource(value = SecurityConfig.Mode.class, names = {"OPEN", "ENCRYPTED"})
    void requestWithoutAnyAnswerExpiresAndIsCounted(SecurityConfig.Mode mode) {
        SimNet n = lossy(mode, 6);
        n.loss = 1.0;
        CompletableFuture<byte[]> f = n.a.request(new byte[] {1}, n.now);
        assertTrue(n.runUntil(f::isDone, MINUTE));
        assertTrue(f.isCompletedExceptionally());
        assertEquals(1, n.a.counters().expiredCount("request"));
    }
}

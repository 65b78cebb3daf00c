package dev.ferry.bridge.line;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class ThreadTimerSlackTest {

    @Test
    void setsTheCallingThreadsSlackOnlyOnLinux() throws Exception {
        assumeTrue(ThreadTimerSlack.currentThreadNanos() > 0, "no /proc timer slack here");
        long before = ThreadTimerSlack.currentThreadNanos();
        long[] seen = CompletableFuture.supplyAsync(() -> {
            boolean ok = ThreadTimerSlack.setForCurrentThread(2_000);
            return new long[] {ok ? 1 : 0, ThreadTimerSlack.currentThreadNanos()};
        }, r -> new Thread(r, "slack-test").start()).get(10, TimeUnit.SECONDS);
        assertEquals(1, seen[0]);
        assertEquals(2_000, seen[1]);
        assertEquals(before, ThreadTimerSlack.currentThreadNanos(), "another thread's slack must not change");
    }

    @Test
    void rejectsANonPositiveSlack() {
        assertThrows(IllegalArgumentException.class, () -> ThreadTimerSlack.setForCurrentThread(0));
    }
}

package dev.ferry.edge.resi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.config.PeerConfig;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A peer link's listener calls run in the order posted, one at a time, whatever throws; an Error
 * that escapes leaves the calls after it for the next run.
 */
@Tag("small")
class ListenerInboxTest {
    private EventLoopGroup group;
    private PeerLink link;
    private final List<String> calls = new ArrayList<>();
    private final AtomicBoolean inCall = new AtomicBoolean();
    private final AtomicBoolean overlapped = new AtomicBoolean();

    @BeforeEach
    void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        PeerConfig cfg = new PeerConfig("gw-b", PeerConfig.Mode.PERMISSIVE, 1000, 100, 3, 64, 256,
                List.of(), List.of(), List.of());
        link = new PeerLink(cfg, "gw-a", Path.of("/b"), List.of(new ScriptedTransport(0)), group,
                LinkOptions.defaults(), System::nanoTime);
        link.start((l, m) -> record(m.to().toString()));
    }

    @AfterEach
    void stop() {
        link.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void record(String what) {
        if (!inCall.compareAndSet(false, true)) {
            overlapped.set(true);
        }
        try {
            if (what.equals("/boom")) {
                throw new IllegalStateException("listener failure (expected by the test)");
            }
            if (what.equals("/fatal")) {
                throw new StackOverflowError("an Error from the listener (expected by the test)");
            }
            synchronized (calls) {
                calls.add(what);
            }
        } finally {
            inCall.set(false);
        }
    }

    private void post(String what) {
        synchronized (link) {
            if (what.startsWith("/")) {
                link.inbox().postMessage(Message.builder(Verb.POST, Path.of(what), Path.of("/#requests/1")).build());
            } else {
                link.inbox().post(() -> record(what));
            }
        }
    }

    @Test
    void callsRunInPostedOrderAndAFailingOneDoesNotStopTheRest() {
        post("/a");
        post("task-1");
        post("/boom");
        post("/b");
        link.inbox().run();
        assertEquals(List.of("/a", "task-1", "/b"), calls);
        link.inbox().run(); // nothing left: runs nothing again
        assertEquals(3, calls.size());
    }

    @Test
    void callsAfterAnErrorThatEscapesRunAtTheNextRun() {
        post("/a");
        post("/fatal");
        post("/b");
        post("task-after");
        assertThrows(StackOverflowError.class, () -> link.inbox().run());
        assertEquals(List.of("/a"), calls);
        post("/c");
        link.inbox().run();
        assertEquals(List.of("/a", "/b", "task-after", "/c"), calls);
    }

    @Test
    void concurrentRunnersNeverOverlapAndLoseNothing() throws Exception {
        int perThread = 20_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    post(id + ":" + i);
                    link.inbox().run();
                }
            });
            threads.add(th);
            th.start();
        }
        go.countDown();
        for (Thread th : threads) {
            th.join(TimeUnit.SECONDS.toMillis(60));
            assertFalse(th.isAlive());
        }
        link.inbox().run();
        assertFalse(overlapped.get(), "two listener calls ran at once");
        assertEquals(3 * perThread, calls.size());
        int[] next = new int[3];
        for (String c : calls) { // each thread's posts run in its order
            int id = c.charAt(0) - '0';
            assertEquals(next[id]++, Integer.parseInt(c.substring(2)), c);
        }
        assertTrue(next[0] == perThread && next[1] == perThread && next[2] == perThread);
    }
}

package dev.ferry.bridge;

import dev.ferry.bridge.device.DeviceListener;
import dev.ferry.bridge.device.DeviceSession;
import dev.ferry.bridge.device.DeviceState;
import dev.ferry.bridge.device.LineRunner;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The rest of Ferry, as far as the bridge can tell: a {@link DeviceListener} that routes replies
 * to the exchange that asked (by the reply's {@code to} path), keeps unsolicited messages and
 * state changes in queues, and waits on them with timeouts (no sleeps).
 */
final class Harness implements DeviceListener, AutoCloseable {
    /** A lifecycle event. */
    record Change(DeviceState from, DeviceState to, String reason, long atNanos) {
    }

    private final Map<Path, BlockingQueue<Message>> exchanges = new ConcurrentHashMap<>();
    private final Map<String, BlockingQueue<Change>> changes = new ConcurrentHashMap<>();
    final BlockingQueue<Message> unsolicited = new LinkedBlockingQueue<>();
    private final AtomicInteger ids = new AtomicInteger(100);
    private final Deque<AutoCloseable> owned = new ArrayDeque<>();
    LineRunner runner;

    /** Closes {@code c} in {@link #close()}, after the runner stops, newest first. */
    <T extends AutoCloseable> T own(T c) {
        owned.push(c);
        return c;
    }

    /** Stops the runner, then closes what the test handed over with {@link #own}. */
    @Override
    public void close() throws Exception {
        if (runner != null) {
            runner.stop();
        }
        while (!owned.isEmpty()) {
            owned.pop().close();
        }
    }

    @Override
    public void onMessage(DeviceSession session, Message message) {
        BlockingQueue<Message> q = exchanges.get(message.to());
        (q != null ? q : unsolicited).add(message);
    }

    @Override
    public void onStateChange(DeviceSession session, DeviceState from, DeviceState to, String reason) {
        changes(session.name()).add(new Change(from, to, reason, System.nanoTime()));
    }

    BlockingQueue<Change> changes(String device) {
        return changes.computeIfAbsent(device, d -> new LinkedBlockingQueue<>());
    }

    /** Waits for {@code device} to reach {@code state}; returns that change. */
    Change await(String device, DeviceState state, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            Change c = changes(device).poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (c == null) {
                throw new AssertionError(device + " did not reach " + state + " in " + seconds + " s (now "
                        + session(device).state() + ")");
            }
            if (c.to() == state) {
                return c;
            }
        }
    }

    DeviceSession session(String device) {
        return runner.session(device).orElseThrow();
    }

    /** An exchange: our request path and the queue of messages sent to it. */
    final class Exchange {
        final Path from;
        final BlockingQueue<Message> replies = new LinkedBlockingQueue<>();

        Exchange(Path from) {
            this.from = from;
            exchanges.put(from, replies);
        }

        Message next(long seconds) throws InterruptedException {
            Message m = replies.poll(seconds, TimeUnit.SECONDS);
            if (m == null) {
                throw new AssertionError("no message to " + from + " within " + seconds + " s");
            }
            return m;
        }

        void close() {
            exchanges.remove(from);
        }
    }

    /** Sends a request to {@code device}; replies arrive on the returned exchange. */
    Exchange send(String device, Verb verb, String to, boolean eof, String body) {
        Exchange x = new Exchange(Path.of("/#t/" + ids.incrementAndGet()));
        Message.Builder b = Message.builder(verb, Path.of(to), x.from).eof(eof);
        if (body != null) {
            b.body(BodyType.JSON, body.getBytes(StandardCharsets.UTF_8));
        }
        if (!session(device).offer(b.build())) {
            x.close();
            throw new AssertionError("offer refused by " + device);
        }
        return x;
    }

    /** One request, one reply. */
    Message call(String device, Verb verb, String to, String body) throws InterruptedException {
        Exchange x = send(device, verb, to, true, body);
        try {
            return x.next(10);
        } finally {
            x.close();
        }
    }

    /** Sends a prepared message (its {@code from} must be one of our exchanges, or anything). */
    boolean offer(String device, Message m) {
        return session(device).offer(m);
    }

    static String text(Message m) {
        return new String(m.body(), StandardCharsets.UTF_8);
    }
}

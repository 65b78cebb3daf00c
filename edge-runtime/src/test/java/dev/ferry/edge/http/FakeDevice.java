package dev.ferry.edge.http;

import dev.ferry.edge.route.Endpoint;
import dev.ferry.edge.route.Router;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory endpoint that answers like an MCU (device namespace, mounted at {@code /dev0}):
 * {@code /sensors/temp} (REP JSON, and {@code #schema}), {@code /echo} (any verb, body echoed),
 * {@code /blob} (a multi-chunk REP stream), {@code /obs} (numbered REPs with E0 every 20 ms until
 * its stream path is DELETEd), {@code /ro} (GET only, else ERROR 405; its {@code #schema} says so),
 * {@code /teapot} (ERROR 418), {@code /weird} (ERROR 302),
 * {@code /slow} (never answers), anything else ERROR 404. Answers on its own thread.
 */
final class FakeDevice implements Endpoint {
    static final int BLOB_SIZE = 100_123;
    static final int BLOB_CHUNK = 1000;

    final LinkedBlockingQueue<Message> received = new LinkedBlockingQueue<>(10_000);
    final LinkedBlockingQueue<Path> deleted = new LinkedBlockingQueue<>(1000);
    volatile CountDownLatch deletes = new CountDownLatch(1);
    private final Router router;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();
    private final Map<Path, Observation> observations = new ConcurrentHashMap<>();
    private final AtomicInteger nextStream = new AtomicInteger();

    private record Observation(Path replyTo, ScheduledFuture<?> task) { }

    FakeDevice(Router router) {
        this.router = router;
    }

    static byte[] blob() {
        byte[] b = new byte[BLOB_SIZE];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    @Override public String id() {
        return "device:dev0";
    }

    @Override public Path mount() {
        return Path.of("/dev0");
    }

    @Override public boolean deliver(Message m) {
        if (!received.offer(m)) {
            return false;
        }
        thread.execute(() -> answer(m));
        return true;
    }

    private void send(Message m) {
        router.send(this, m);
    }

    private static Message.Builder rep(Message req, String from) {
        return Message.builder(Verb.REP, req.from(), Path.of(from));
    }

    private void answer(Message m) {
        if (m.verb() == Verb.REP || m.verb() == Verb.ERROR) {
            return;
        }
        String to = m.to().toString();
        if (m.verb() == Verb.DELETE && observations.containsKey(m.to())) {
            Observation o = observations.remove(m.to());
            o.task().cancel(false);
            send(Message.builder(Verb.REP, o.replyTo(), m.to()).eof(true).build());
            send(rep(m, to).build());
            deleted.offer(m.to());
            deletes.countDown();
            return;
        }
        switch (to) {
            case "/sensors/temp" -> send(rep(m, to).body(BodyType.JSON, bytes("{\"celsius\":21.5}")).build());
            case "/sensors/temp#schema" -> send(rep(m, to).body(BodyType.JSON,
                    bytes("{\"type\":\"number\",\"unit\":\"C\"}")).build());
            case "/echo" -> send(rep(m, to).status(m.verb() == Verb.POST ? 201 : 200)
                    .body(m.bodyType().orElse(null), m.body()).build());
            case "/blob" -> sendBlob(m);
            case "/obs" -> observe(m);
            case "/ro" -> send(m.verb() == Verb.GET ? rep(m, to).body(BodyType.JSON, bytes("1")).build()
                    : error(m, 405, "method not allowed"));
            case "/ro#schema" -> send(m.verb() == Verb.GET ? rep(m, to).body(BodyType.JSON,
                    bytes("{\"verbs\":[\"GET\"],\"types\":[\"j\"]}")).build() : error(m, 405, "method not allowed"));
            case "/teapot" -> send(error(m, 418, "I'm a teapot"));
            case "/weird" -> send(error(m, 302, "moved, oddly"));
            case "/slow" -> { }
            default -> send(error(m, 404, "not found: " + to));
        }
    }

    private void sendBlob(Message m) {
        byte[] b = blob();
        String stream = "/blob#streams/" + nextStream.incrementAndGet();
        for (int off = 0; off < b.length; off += BLOB_CHUNK) {
            int n = Math.min(BLOB_CHUNK, b.length - off);
            byte[] chunk = java.util.Arrays.copyOfRange(b, off, off + n);
            send(rep(m, stream).eof(off + n == b.length).body(BodyType.OCTETS, chunk).build());
        }
    }

    private void observe(Message m) {
        Path stream = Path.of("/obs#streams/" + nextStream.incrementAndGet());
        AtomicInteger n = new AtomicInteger();
        ScheduledFuture<?> task = thread.scheduleAtFixedRate(() -> send(Message.builder(Verb.REP, m.from(), stream)
                .eof(false).body(BodyType.JSON, bytes("{\"n\":" + n.incrementAndGet() + "}")).build()),
                0, 20, TimeUnit.MILLISECONDS);
        observations.put(stream, new Observation(m.from(), task));
    }

    private static Message error(Message req, int status, String reason) {
        return Message.builder(Verb.ERROR, req.from(), req.to()).status(status)
                .body(BodyType.TEXT, bytes(reason)).build();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    int observing() {
        return observations.size();
    }

    void close() {
        thread.shutdownNow();
    }
}

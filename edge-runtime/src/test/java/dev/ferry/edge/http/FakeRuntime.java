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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for the runtime's own resources: {@code /#runtime/devices}, {@code lines},
 * {@code routes} answer JSON; {@code /#runtime/metrics} observed with E0 sends a counters object
 * every 100 ms until DELETEd.
 */
final class FakeRuntime implements Endpoint {
    static final String DEVICES = "[{\"name\":\"boiler-7\",\"line\":\"uart0\",\"address\":1,\"state\":\"up\"},"
            + "{\"name\":\"greenhouse-3\",\"line\":\"rs485-a\",\"address\":4,\"state\":\"up\"}]";
    static final String LINES = "[{\"name\":\"uart0\",\"port\":\"/dev/ttyAMA0\",\"baud\":115200},"
            + "{\"name\":\"rs485-a\",\"port\":\"/dev/ttyUSB0\",\"baud\":57600}]";
    static final String ROUTES = "[{\"prefix\":\"/dev0\",\"target\":\"device:dev0\"},"
            + "{\"prefix\":\"/#lan\",\"target\":\"lan\"}]";

    private final Router router;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();
    private final Map<Path, ScheduledFuture<?>> observations = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();

    FakeRuntime(Router router) {
        this.router = router;
    }

    @Override public String id() {
        return "runtime";
    }

    @Override public Path mount() {
        return Path.ROOT;
    }

    @Override public boolean deliver(Message m) {
        thread.execute(() -> answer(m));
        return true;
    }

    private void answer(Message m) {
        String to = m.to().toString();
        if (m.verb() == Verb.DELETE) {
            ScheduledFuture<?> f = observations.remove(m.to());
            if (f != null) {
                f.cancel(false);
            }
            return;
        }
        if (m.verb() != Verb.GET) {
            return;
        }
        switch (to) {
            case "/#runtime/devices" -> reply(m, to, DEVICES);
            case "/#runtime/lines" -> reply(m, to, LINES);
            case "/#runtime/routes" -> reply(m, to, ROUTES);
            case "/#runtime/metrics" -> {
                Path stream = Path.of("/#runtime/metrics#streams/" + next.incrementAndGet());
                AtomicInteger n = new AtomicInteger();
                observations.put(stream, thread.scheduleAtFixedRate(() -> router.send(this,
                        Message.builder(Verb.REP, m.from(), stream).eof(false).body(BodyType.JSON,
                                ("{\"ferry_router_messages_total\":" + (1000 + n.incrementAndGet())
                                        + ",\"ferry_streams_open\":3}").getBytes(StandardCharsets.UTF_8)).build()),
                        0, 100, TimeUnit.MILLISECONDS));
            }
            default -> router.send(this, Message.builder(Verb.ERROR, m.from(), m.to()).status(404)
                    .body(BodyType.TEXT, ("no " + to).getBytes(StandardCharsets.UTF_8)).build());
        }
    }

    private void reply(Message m, String from, String json) {
        router.send(this, Message.builder(Verb.REP, m.from(), Path.of(from))
                .body(BodyType.JSON, json.getBytes(StandardCharsets.UTF_8)).build());
    }

    void close() {
        thread.shutdownNow();
    }
}

package dev.ferry.edge.northbound;

import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.metrics.RemoteLog;
import dev.ferry.edge.route.Endpoint;
import dev.ferry.edge.route.Meta;
import dev.ferry.edge.route.Principal;
import dev.ferry.edge.route.Router;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Northbound's requests through the router, on the engine thread: each group's schemas and
 * observations (a GET whose end-of-stream is false per published resource, retried every
 * {@value #RETRY_MS} ms after an error), one-off reads, and commands. Every request leaves from a
 * fresh return path under {@code /#northbound/r/}; at most {@value #MAX_PENDING} wait for their
 * reply (more are refused and counted as {@code too_many_requests}). A reply nobody waits for that
 * opens a stream is cancelled. Readings go to the {@link Publisher}, command results to
 * {@link Commands}.
 */
final class Observer {
    static final int MAX_PENDING = 4096;
    static final long RETRY_MS = 5000;

    private enum Kind { SCHEMA, OBSERVE, READ, COMMAND }

    private record Pending(Kind kind, Resource r, Commands.Command cmd) { }

    private final Endpoint self;
    private final Router router;
    private final Principal principal;
    private final Metrics metrics;
    private final EngineLoop loop;
    private final Publisher publisher;
    private final BooleanSupplier running;
    private final Map<String, Pending> pending = new HashMap<>();
    private Commands commands;
    private long nextRequest;

    Observer(Endpoint self, Router router, Metrics metrics, EngineLoop loop, Publisher publisher,
             BooleanSupplier running) {
        this.self = self;
        this.router = router;
        this.principal = self.principal();
        this.metrics = metrics;
        this.loop = loop;
        this.publisher = publisher;
        this.running = running;
    }

    void commands(Commands c) {
        this.commands = c;
    }

    /** The group's endpoint is there: read schemas, observe every resource, birth once values came. */
    void attach(Group g, long birthWaitMs) {
        g.attached = true;
        g.established = false;
        g.attachedAtNanos = System.nanoTime();
        for (Resource r : g.resources) {
            r.valueSeen = false;
            request(Kind.SCHEMA, r, null, Message.builder(Verb.GET, Path.of(r.path + "#schema"), Path.ROOT));
            observe(r);
        }
        long gen = ++g.birthDeadlineGen;
        loop.after(birthWaitMs, () -> {
            if (g.attached && !g.established && g.birthDeadlineGen == gen) {
                publisher.establish(g);
            }
        });
    }

    private void observe(Resource r) {
        if (r.orphan != null) {
            cancel(r.orphan);          // before the new observation, which may get the same stream id
            r.orphan = null;
        }
        r.request = request(Kind.OBSERVE, r, null, Message.builder(Verb.GET, r.path, Path.ROOT).eof(false));
    }

    /**
     * The group's endpoint is gone: its observations are forgotten; their streams are remembered
     * as orphans, cancelled if it comes back.
     */
    void detach(Group g) {
        g.attached = false;
        pending.values().removeIf(p -> p.r() != null && p.r().group == g && p.kind() != Kind.COMMAND);
        for (Resource r : g.resources) {
            r.request = null;
            if (r.stream != null) {
                r.orphan = r.stream;
            }
            r.stream = null;
            r.valueSeen = false;
        }
    }

    /** Sends a command request; its reply goes to {@link Commands#result}. */
    void command(Commands.Command cmd, Message.Builder b) {
        if (request(Kind.COMMAND, cmd.resource(), cmd, b) == null) {
            commands.result(cmd, 503, "too many requests in progress");
        }
    }

    /** Reads a resource once (after a command), publishing a change. */
    void read(Resource r) {
        request(Kind.READ, r, null, Message.builder(Verb.GET, r.path, Path.ROOT));
    }

    /** Sends a request through the router from a fresh return path; returns that path (null: refused). */
    private String request(Kind kind, Resource r, Commands.Command cmd, Message.Builder b) {
        if (pending.size() >= MAX_PENDING) {
            metrics.inc("ferry_northbound_dropped_total", "reason", "too_many_requests");
            return null;
        }
        String from = "/r/" + (++nextRequest);
        Message proto = b.build();
        Message.Builder mb = Message.builder(proto.verb(), proto.to(), Path.of(from)).eof(proto.eof());
        if (proto.bodyLength() > 0) {
            mb.body(proto.bodyType().orElse(BodyType.JSON), proto.body());
        }
        pending.put(from, new Pending(kind, r, cmd));
        router.send(self, mb.build(), Meta.of(principal));   // a refusal comes back as an ERROR
        return from;
    }

    /** A reply (or ERROR) to one of our requests, from the router. */
    void reply(Message m, boolean stale) {
        String to = m.to().toString();
        Pending p = pending.get(to);
        if (p == null) {
            if (m.verb() == Verb.REP && !m.eof()) {   // a stream nobody waits for: cancel it
                cancel(m.from());
            }
            return;
        }
        if (m.eof() || m.verb() == Verb.ERROR) {
            pending.remove(to);
        }
        Resource r = p.r();
        switch (p.kind()) {
            case SCHEMA -> {
                if (m.verb() == Verb.REP) {
                    r.schema = ResourceSchema.parse(m.body());
                }
            }
            case OBSERVE -> observed(r, to, m, stale);
            case READ -> {
                if (m.verb() == Verb.REP && !stale) {
                    publisher.value(r, m);
                }
            }
            case COMMAND -> commands.result(p.cmd(), m.verb() == Verb.ERROR ? m.status() : 200,
                    new String(m.body(), StandardCharsets.UTF_8));
            default -> { }
        }
    }

    private void observed(Resource r, String request, Message m, boolean stale) {
        if (!request.equals(r.request)) {
            return;
        }
        if (m.verb() == Verb.REP) {
            r.stream = m.eof() ? null : m.from();
            if (m.eof()) {
                r.request = null;      // a resource that answers once (no observation): its value stands
            }
            if (stale) {
                metrics.inc("ferry_northbound_dropped_total", "reason", "stale_value");
                return;                // from before the device's outage: wait for the device's own
            }
            publisher.value(r, m);
            return;
        }
        r.request = null;
        if (r.stream != null) {
            r.orphan = r.stream;       // an ERROR from the router (device lost) does not end the MCU's stream
        }
        r.stream = null;
        r.valueSeen = true;            // do not hold the birth for it
        RemoteLog.warn("northbound:observe", "northbound: observing {} failed: {} {}", r.path, m.status(),
                RemoteLog.excerpt(new String(m.body(), StandardCharsets.UTF_8)));
        metrics.inc("ferry_northbound_dropped_total", "reason", "observe_error");
        Group g = r.group;
        if (!g.established && g.attached && g.allSeen()) {
            publisher.establish(g);
        }
        loop.after(RETRY_MS, () -> {
            if (g.attached && r.request == null && running.getAsBoolean()) {
                observe(r);
            }
        });
    }

    /** Cancels every open observation (closing down). */
    void cancelAll(Iterable<Group> groups) {
        for (Group g : groups) {
            for (Resource r : g.resources) {
                if (r.stream != null) {
                    cancel(r.stream);
                }
            }
        }
    }

    private void cancel(Path stream) {
        router.send(self, Message.builder(Verb.DELETE, stream, Path.of("/x/" + (++nextRequest))).build(),
                Meta.of(principal));
    }

    List<String> pendingRequests() {
        return List.copyOf(pending.keySet());
    }
}

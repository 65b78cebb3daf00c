package dev.ferry.edge.runtime;

import dev.ferry.edge.metrics.LogBudget;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.route.Endpoint;
import dev.ferry.edge.route.Router;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * The runtime's own resources under {@code /#runtime} ({@code devices}, {@code lines},
 * {@code routes}, {@code metrics}, {@code time}, …), served as an {@link Endpoint} with id
 * {@code runtime} in the host's namespace. A GET with EOF answers once; a GET not marked EOF
 * observes: the answer is a stream {@code /#runtime/<name>#streams/<k>} that sends a new reading
 * whenever the resource changes (or every tick for periodic ones) until it is cancelled with
 * {@code DELETE}; {@code PUT <stream>#flow false|true} pauses and resumes it.
 *
 * <p>{@link RuntimeAction}s ({@link #addAction}) take a POST instead (e.g.
 * {@code peers/<id>/modify}).
 *
 * <p>One thread serves everything from a bounded queue, so {@link #deliver} never blocks and
 * returns false when the queue is full.
 */
public final class RuntimeResources implements Endpoint, AutoCloseable {
    private static final String BASE = "/#runtime";

    private volatile Map<String, RuntimeResource> resources = Map.of();
    private final Map<String, RuntimeAction> actions = new ConcurrentHashMap<>();
    private final Map<String, java.util.function.Function<String, RuntimeResource>> families =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final BlockingQueue<Runnable> queue;
    private final Set<String> pendingChanges = ConcurrentHashMap.newKeySet();
    private final LogBudget dropLog = LogBudget.perSecond();
    private final Observers observers;
    private final Metrics metrics;
    private final long tickMillis;
    private volatile Router router;
    private volatile boolean running;
    private Thread thread;

    public RuntimeResources(Metrics metrics, int queueCapacity, int maxObservers, long tickMillis) {
        this.metrics = metrics;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.observers = new Observers(maxObservers);
        this.tickMillis = tickMillis;
        metrics.describe("ferry_runtime_dropped_total", "Runtime-resource requests and change pushes not queued, by reason.");
        metrics.describe("ferry_runtime_errors_total", "Runtime-resource handlers that failed.");
        add(new RuntimeResource("time", g -> {
            g.writeStartObject();
            g.writeNumberField("unix_ms", System.currentTimeMillis());
            g.writeStringField("iso", Instant.now().toString());
            g.writeEndObject();
        }, false, "{\"verbs\":[\"GET\"],\"type\":\"j\"}"));
        // time/unix_ms, the compact form for MCUs: a bare JSON number (13 bytes) that fits an 8-bit
        // MCU's buffer; a member of time, not listed on its own
        RuntimeResource unixMs = new RuntimeResource("time/unix_ms", g -> g.writeNumber(System.currentTimeMillis()),
                false, "{\"verbs\":[\"GET\"],\"type\":\"j\"}");
        families.put("time", member -> member.equals("unix_ms") ? unixMs : null);
    }

    /**
     * Adds a family of resources {@code base/<sub>} whose members are made on demand (e.g.
     * {@code rendezvous/<namespace>}); {@code member} returns null for a member that does not exist.
     */
    public void addFamily(String base, java.util.function.Function<String, RuntimeResource> member) {
        families.put(base, member);
    }

    private RuntimeResource resolve(String name) {
        RuntimeResource r = resources.get(name);
        int slash = name.indexOf('/');
        if (r == null && slash > 0) {
            java.util.function.Function<String, RuntimeResource> f = families.get(name.substring(0, slash));
            r = f == null ? null : f.apply(name.substring(slash + 1));
        }
        return r;
    }

    /** Adds (or replaces) a resource; safe at any time, from any thread. */
    public synchronized void add(RuntimeResource r) {
        Map<String, RuntimeResource> next = new LinkedHashMap<>(resources);
        next.put(r.name(), r);
        resources = next;
    }

    /** The resources added so far, in the order they were added. */
    public java.util.List<RuntimeResource> resources() {
        return java.util.List.copyOf(resources.values());
    }

    /** Adds (or replaces) an action; safe at any time, from any thread. */
    public void addAction(RuntimeAction a) {
        actions.put(a.name(), a);
    }

    /** Starts serving; replies go through {@code router}. */
    public synchronized void start(Router router) {
        this.router = router;
        running = true;
        thread = new Thread(this::loop, "ferry-runtime");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public String id() {
        return "runtime";
    }

    @Override
    public Path mount() {
        return Path.ROOT;
    }

    @Override
    public boolean deliver(Message m) {
        boolean ok = running && queue.offer(() -> handle(m));
        if (!ok) {
            metrics.inc("ferry_runtime_dropped_total", "reason", "queue_full");
        }
        return ok;
    }

    /**
     * Tells observers of {@code name} that it changed; safe from any thread. Changes coalesce:
     * while a push of {@code name} is queued, further changes ride on it (observers get the state
     * at the time of the push), so a burst of changes costs one queue slot per name, not one each.
     */
    public void changed(String name) {
        if (!running || !pendingChanges.add(name)) {
            return;
        }
        if (!queue.offer(() -> push(name))) {
            pendingChanges.remove(name);
            metrics.inc("ferry_runtime_dropped_total", "reason", "change_queue_full");
            long held = dropLog.admit(name);
            if (held >= 0) {
                Logger.warn("runtime: change of {} not pushed, queue full{}", name,
                        held > 0 ? " (and " + held + " more in the last second, counted)" : "");
            }
        }
    }

    private void loop() {
        long nextTick = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(tickMillis);
        while (running) {
            try {
                Runnable r = queue.poll(Math.max(0, nextTick - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (r != null) {
                    r.run();
                }
                if (System.nanoTime() - nextTick >= 0) {
                    nextTick += TimeUnit.MILLISECONDS.toNanos(tickMillis);
                    resources.values().stream().filter(RuntimeResource::periodic)
                            .forEach(res -> push(res.name()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                metrics.inc("ferry_runtime_errors_total");
                Logger.error(e, "runtime: handler failed");
            }
        }
    }

    private void handle(Message m) {
        if (!isRequest(m.verb())) {
            return;                  // replies to requests the runtime never made: nothing waits
        }
        String to = m.to().toString();
        if (!to.startsWith(BASE)) {
            send(error(m, 404, "no such resource " + to));
            return;
        }
        String rest = to.substring(BASE.length());
        if (rest.isEmpty() || rest.equals("#")) {
            send(rep(m, Path.of(BASE), true, Json.bytes(g -> {
                g.writeStartArray();
                for (String n : resources.keySet()) {
                    g.writeString(n);
                }
                g.writeEndArray();
            })));
            return;
        }
        RuntimeRequest req = RuntimeRequest.parse(rest.substring(1));
        RuntimeResource res = resolve(req.resource());
        RuntimeAction action = res == null ? actions.get(req.resource()) : null;
        if (action != null) {
            act(m, req, action);
            return;
        }
        if (res == null) {
            send(error(m, 404, "no such runtime resource " + req.resource()));
            return;
        }
        switch (req.kind()) {
            case READ -> read(m, res);
            case TAGS -> send(json(m, "[\"schema\",\"streams\"]"));
            case SCHEMA -> send(json(m, res.schema()));
            case STREAM -> stream(m, req);
            case FLOW -> flow(m, req);
            default -> send(error(m, 404, "no such member " + to));
        }
    }

    private void act(Message m, RuntimeRequest req, RuntimeAction a) {
        if (req.kind() == RuntimeRequest.Kind.SCHEMA) {
            send(json(m, a.schema()));
        } else if (req.kind() != RuntimeRequest.Kind.READ) {
            send(error(m, 404, "no such member " + m.to()));
        } else if (m.verb() != Verb.POST) {
            send(error(m, 405, m.verb() + " not allowed on " + m.to() + " (POST)"));
        } else {
            RuntimeAction.Reply r = a.handler().post(m.body());
            send(r.status() == 200 ? json(m, r.body()) : error(m, r.status(), r.body()));
        }
    }

    private void read(Message m, RuntimeResource res) {
        if (m.verb() != Verb.GET) {
            send(error(m, 405, m.verb() + " not allowed on " + m.to()));
            return;
        }
        if (m.eof()) {
            send(rep(m, m.to(), true, Json.bytes(res.render())));
            return;
        }
        Observers.Observer o = observers.add(res.name(), m.from());
        if (o == null) {
            send(error(m, 503, "too many observers"));
            return;
        }
        send(Message.builder(Verb.REP, m.from(), o.stream()).eof(false)
                .body(BodyType.JSON, Json.bytes(res.render())).build());
    }

    private void stream(Message m, RuntimeRequest req) {
        Observers.Observer o = observers.get(req.resource(), req.stream());
        if (o == null) {
            send(error(m, 404, "no such stream " + m.to()));
        } else if (m.verb() == Verb.DELETE) {
            observers.remove(o);
            send(Message.builder(Verb.REP, o.replyTo(), o.stream()).build());
            send(rep(m, m.to(), true, new byte[0]));
        } else {
            send(error(m, 405, m.verb() + " not allowed on a stream"));
        }
    }

    private void flow(Message m, RuntimeRequest req) {
        Observers.Observer o = observers.get(req.resource(), req.stream());
        String body = new String(m.body(), StandardCharsets.UTF_8).trim();
        if (o == null) {
            send(error(m, 404, "no such stream " + m.to()));
        } else if (m.verb() != Verb.PUT || !(body.equals("true") || body.equals("false"))) {
            send(error(m, 400, "expected PUT with body true or false"));
        } else {
            o.paused(body.equals("false"));
            send(rep(m, m.to(), true, new byte[0]));
        }
    }

    private void push(String name) {
        pendingChanges.remove(name); // from here on a new change queues a new push
        RuntimeResource res = resolve(name);
        if (res == null) {
            return;
        }
        byte[] body = null;
        for (Observers.Observer o : observers.of(name)) {
            if (o.paused()) {
                continue;
            }
            body = body != null ? body : Json.bytes(res.render());
            send(Message.builder(Verb.REP, o.replyTo(), o.stream()).eof(false)
                    .body(BodyType.JSON, body).build());
        }
    }

    private void send(Message m) {
        Router r = router;
        if (r != null && !r.send(this, m) && m.verb() == Verb.REP && !m.eof()) {
            observers.removeByReplyTo(m.to());   // the observer is gone: stop pushing to it
        }
    }

    private static Message rep(Message req, Path from, boolean eof, byte[] json) {
        return Message.builder(Verb.REP, req.from(), from).eof(eof).body(BodyType.JSON, json).build();
    }

    private static Message json(Message req, String json) {
        return rep(req, req.to(), true, json.getBytes(StandardCharsets.UTF_8));
    }

    private static Message error(Message req, int status, String reason) {
        return Message.builder(Verb.ERROR, req.from(), req.to()).status(status)
                .body(BodyType.TEXT, reason.getBytes(StandardCharsets.UTF_8)).build();
    }

    private static boolean isRequest(Verb v) {
        return v != Verb.REP && v != Verb.ERROR;
    }

    @Override
    public synchronized void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
        for (Observers.Observer o : observers.all()) {
            send(Message.builder(Verb.ERROR, o.replyTo(), o.stream()).status(503)
                    .body(BodyType.TEXT, "ferry is shutting down".getBytes(StandardCharsets.UTF_8)).build());
        }
    }
}

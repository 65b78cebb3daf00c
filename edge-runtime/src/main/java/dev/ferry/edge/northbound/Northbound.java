package dev.ferry.edge.northbound;

import dev.ferry.bridge.device.DeviceSession;
import dev.ferry.bridge.device.DeviceState;
import dev.ferry.edge.config.NorthboundConfig;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.metrics.RemoteLog;
import dev.ferry.edge.route.Endpoint;
import dev.ferry.edge.route.Meta;
import dev.ferry.edge.route.Principal;
import dev.ferry.edge.route.Route;
import dev.ferry.edge.route.Router;
import dev.ferry.edge.serial.SerialLines;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tinylog.Logger;

/**
 * Northbound (issue 17, DESIGN.md 11): the MQTT 5 / Sparkplug B publisher, another router
 * {@link Endpoint} ({@code northbound}, mounted at {@code /#northbound}, principal
 * {@code northbound:<client id>}). It observes every configured resource with a GET whose
 * end-of-stream is false, through the router like any LAN client, turns the readings into
 * metrics (DDATA on change; a DBIRTH when an MCU attaches, a DDEATH when it is lost), queues them
 * on disk ({@link DiskQueue}) and hands them to the broker ({@link EdgeSession}); commands from
 * the broker (DCMD, NCMD, plain {@code cmd/}) become RP PUT/POST requests whose results are
 * published back.
 *
 * <pre>
 *   MCU ─▶ router ─▶ deliver(REP) ─▶ engine: flatten, diff ─▶ DiskQueue ─▶ EdgeSession ─▶ broker
 *   broker ─▶ DCMD ─▶ engine ─▶ router.send(PUT, principal northbound) ─▶ MCU ─▶ result ─▶ broker
 * </pre>
 *
 * <p>Everything runs on one engine thread ({@link EngineLoop}); {@link #deliver} never blocks
 * (false, counted, when the engine's queue is full).
 */
public final class Northbound implements Endpoint, SerialLines.Lifecycle, AutoCloseable {
    public static final String ID = "northbound";
    public static final Path MOUNT = Path.of("/#northbound");
    static final int MAX_PENDING = 4096;
    static final long RETRY_MS = 5000;

    private enum Kind { SCHEMA, OBSERVE, READ, COMMAND }

    private record Pending(Kind kind, Resource r, Commands.Command cmd) { }

    private final NorthboundConfig cfg;
    private final Router router;
    private final Metrics metrics;
    private final Principal principal;
    private final EngineLoop loop = new EngineLoop("ferry-northbound", 8192);
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, Pending> pending = new HashMap<>();
    private final Wire wire;
    private final EdgeSession session;
    private final Commands commands;
    private long nextRequest;
    private volatile boolean running;
    private volatile long lastBirthLatencyMs = -1;

    /**
     * Builds the publisher for {@code cfg} (enabled) against {@code router}, grouping published
     * paths by the endpoint the route table sends them to; {@code mounts} maps a local device's
     * name to its mount. Opens the queue directory.
     *
     * @throws IOException when the queue directory or the TLS files cannot be used
     */
    public Northbound(NorthboundConfig cfg, Router router, Metrics metrics, Map<String, Path> mounts)
            throws IOException {
        this.cfg = cfg;
        this.router = router;
        this.metrics = metrics;
        this.principal = new Principal(Principal.Kind.NORTHBOUND, cfg.clientId());
        this.wire = cfg.mode() == NorthboundConfig.Mode.SPARKPLUG ? new SparkplugWire(cfg) : new PlainWire(cfg);
        for (String p : cfg.publish()) {
            Path path = Path.of(p);
            Route route = router.table().lookup(path).orElseThrow(() -> new IOException("no route to " + p));
            String target = route.target();
            boolean local = target.startsWith("device:");
            String name = target.contains(":") ? target.substring(target.indexOf(':') + 1) : target;
            Group g = groups.computeIfAbsent(name, n -> new Group(n, target, local));
            g.mount = local ? mounts.getOrDefault(name, route.prefix()) : Path.ROOT;
            String base = p.substring(g.mount.toString().equals("/") ? 1 : g.mount.toString().length() + 1);
            g.resources.add(new Resource(path, g, base.isEmpty() ? "value" : base));
        }
        this.session = new EdgeSession(cfg, loop, metrics, wire,
                () -> groups.values().stream().filter(g -> g.established).toList());
        this.commands = new Commands(this, cfg, wire, session, metrics);
        describe(metrics);
    }

    private static void describe(Metrics m) {
        m.describe("ferry_northbound_published_total", "Northbound data messages the broker took (live)");
        m.describe("ferry_northbound_replayed_total", "Northbound data messages replayed from the queue (historical)");
        m.describe("ferry_northbound_queued_total", "Northbound messages stored in the queue");
        m.describe("ferry_northbound_dropped_total", "Northbound messages or readings dropped, by reason");
        m.describe("ferry_northbound_connects_total", "Northbound MQTT connections established");
        m.describe("ferry_northbound_births_total", "Northbound sessions opened (NBIRTH or status online)");
        m.describe("ferry_northbound_commands_total", "Commands from the broker, by result");
        m.describe("ferry_northbound_queue_messages", "Northbound messages queued, not yet acknowledged");
        m.describe("ferry_northbound_queue_bytes", "Bytes of the northbound queue");
        m.describe("ferry_northbound_connected", "1 while the northbound session is open");
    }

    /** The route that brings replies to this endpoint. */
    public static Route route() {
        return Route.mount(MOUNT, ID);
    }

    /** Attaches to the router, starts observing what needs no device, and starts connecting. */
    public void start() throws IOException {
        router.attach(this);
        running = true;
        metrics.gauge("ferry_northbound_queue_messages", session::queueDepth);
        metrics.gauge("ferry_northbound_queue_bytes", session::queueBytes);
        metrics.gauge("ferry_northbound_connected", () -> session.state() == EdgeSession.State.BORN ? 1 : 0);
        loop.start();
        session.start(commands::inbound);
        loop.post(() -> {
            for (Group g : groups.values()) {
                if (!g.local) {
                    attach(g);
                }
            }
            syncTimer();
        });
        Logger.info("northbound: {} to {}:{} ({} resource(s) in {} group(s))", cfg.mode().name().toLowerCase(
                java.util.Locale.ROOT), cfg.broker().host(), cfg.broker().port(), cfg.publish().size(), groups.size());
    }

    private void syncTimer() {
        if (cfg.queueFsync() == NorthboundConfig.Fsync.INTERVAL && running) {
            session.sync();
            loop.after(cfg.queueFsyncMs(), this::syncTimer);
        }
    }

    @Override public String id() {
        return ID;
    }

    @Override public Path mount() {
        return MOUNT;
    }

    @Override public Principal principal() {
        return principal;
    }

    @Override public boolean live() {
        return running;
    }

    @Override
    public boolean deliver(Message m) {
        if (running && loop.post(() -> reply(m))) {
            return true;
        }
        metrics.inc("ferry_northbound_dropped_total", "reason", "engine_queue_full");
        return false;
    }

    @Override
    public void changed(DeviceSession s, DeviceState from, DeviceState to, String reason) {
        Group g = groups.get(s.name());
        if (g == null || !g.local) {
            return;
        }
        if (to == DeviceState.ATTACHED) {
            loop.postCritical(() -> attach(g));
        } else if (from == DeviceState.ATTACHED) {
            loop.postCritical(() -> lost(g, reason));
        }
    }

    /** The group's MCU is there: read schemas, observe every resource, birth once values came. */
    private void attach(Group g) {
        g.attached = true;
        g.established = false;
        g.attachedAtNanos = System.nanoTime();
        for (Resource r : g.resources) {
            r.valueSeen = false;
            request(Kind.SCHEMA, r, null, Message.builder(Verb.GET, Path.of(r.path + "#schema"), Path.ROOT));
            observe(r);
        }
        long gen = ++g.birthDeadlineGen;
        loop.after(cfg.birthWaitMs(), () -> {
            if (g.attached && !g.established && g.birthDeadlineGen == gen) {
                establish(g);
            }
        });
    }

    private void observe(Resource r) {
        r.request = request(Kind.OBSERVE, r, null, Message.builder(Verb.GET, r.path, Path.ROOT).eof(false));
    }

    /** The group's MCU is gone: DDEATH (in a session), observations forgotten. */
    private void lost(Group g, String reason) {
        g.attached = false;
        pending.values().removeIf(p -> p.r() != null && p.r().group == g && p.kind() != Kind.COMMAND);
        for (Resource r : g.resources) {
            r.request = null;
            r.stream = null;
            r.valueSeen = false;
        }
        if (g.established) {
            g.established = false;
            if (session.born()) {
                session.append(Wire.DEATH, g.name, System.currentTimeMillis(), wire.groupDeath(g,
                        System.currentTimeMillis()));
            }
        }
        Logger.info("northbound: {} lost ({})", g.name, reason);
    }

    /** Sends a request through the router from a fresh return path; returns that path. */
    String request(Kind kind, Resource r, Commands.Command cmd, Message.Builder b) {
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
        router.send(this, mb.build(), Meta.of(principal));   // a refusal comes back as an ERROR
        return from;
    }

    /** Sends a command request (from {@link Commands}); its reply comes back to {@link Commands#result}. */
    void command(Commands.Command cmd, Message.Builder b) {
        if (request(Kind.COMMAND, cmd.resource(), cmd, b) == null) {
            commands.result(cmd, 503, "too many requests in progress");
        }
    }

    /** Reads a resource once (after a command), publishing a change. */
    void read(Resource r) {
        request(Kind.READ, r, null, Message.builder(Verb.GET, r.path, Path.ROOT));
    }

    private void reply(Message m) {
        String to = m.to().toString();
        Pending p = pending.get(to);
        if (p == null) {
            if (m.verb() == Verb.REP && !m.eof()) {   // a stream nobody waits for: cancel it
                router.send(this, Message.builder(Verb.DELETE, m.from(), Path.of("/x/" + (++nextRequest))).build(),
                        Meta.of(principal));
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
            case OBSERVE -> observed(r, to, m);
            case READ -> {
                if (m.verb() == Verb.REP) {
                    value(r, m);
                }
            }
            case COMMAND -> commands.result(p.cmd(), m.verb() == Verb.ERROR ? m.status() : 200,
                    new String(m.body(), java.nio.charset.StandardCharsets.UTF_8));
            default -> { }
        }
    }

    private void observed(Resource r, String request, Message m) {
        if (!request.equals(r.request)) {
            return;
        }
        if (m.verb() == Verb.REP) {
            r.stream = m.eof() ? null : m.from();
            if (m.eof()) {
                r.request = null;      // a resource that answers once (no observation): its value stands
            }
            value(r, m);
            return;
        }
        r.request = null;
        r.stream = null;
        r.valueSeen = true;            // do not hold the birth for it
        RemoteLog.warn("northbound:observe", "northbound: observing {} failed: {} {}", r.path, m.status(),
                RemoteLog.excerpt(new String(m.body(), java.nio.charset.StandardCharsets.UTF_8)));
        metrics.inc("ferry_northbound_dropped_total", "reason", "observe_error");
        Group g = r.group;
        if (!g.established && g.attached && g.allSeen()) {
            establish(g);
        }
        loop.after(RETRY_MS, () -> {
            if (g.attached && r.request == null && running) {
                observe(r);
            }
        });
    }

    /** A reading: flattened, compared with the last one, and what changed is queued. */
    void value(Resource r, Message m) {
        long now = System.currentTimeMillis();
        String type = m.bodyType().map(BodyType::token).orElse("j");
        Map<String, MetricValue> leaves;
        try {
            leaves = MetricValue.flatten(r.base, type, m.body());
        } catch (IOException e) {
            metrics.inc("ferry_northbound_dropped_total", "reason", "bad_value");
            RemoteLog.warn("northbound:value", "northbound: unreadable value of {}: {}", r.path,
                    RemoteLog.excerpt(e.getMessage()));
            return;
        }
        Group g = r.group;
        boolean rawChanged = !java.util.Arrays.equals(m.body(), r.lastBody);
        r.lastBody = m.body();
        r.lastType = type;
        r.lastMs = now;
        r.valueSeen = true;
        Map<String, MetricValue> changed = new LinkedHashMap<>();
        boolean newShape = false;
        for (Map.Entry<String, MetricValue> e : leaves.entrySet()) {
            MetricValue old = g.values.get(e.getKey());
            if (!e.getValue().equals(old)) {
                newShape |= old == null || old.datatype() != e.getValue().datatype();
                changed.put(e.getKey(), e.getValue());
                g.values.put(e.getKey(), e.getValue());
                g.times.put(e.getKey(), now);
                String unit = r.schema.unitOf(e.getKey());
                if (unit != null) {
                    g.units.put(e.getKey(), unit);
                }
            }
        }
        if (g.established) {
            if (newShape && session.born() && cfg.mode() == NorthboundConfig.Mode.SPARKPLUG) {
                session.append(Wire.BIRTH, g.name, now, wire.groupBirth(g, now));
            } else if (cfg.mode() == NorthboundConfig.Mode.PLAIN ? rawChanged : !changed.isEmpty()) {
                session.append(Wire.DATA, wire.key(r), now, wire.data(r, changed, now));
            }
        } else if (g.attached && g.allSeen()) {
            establish(g);
        }
    }

    /** Queues a group's data record for command metrics (Sparkplug) outside a reading. */
    void commandMetrics(Group g, Map<String, MetricValue> changed) {
        long now = System.currentTimeMillis();
        changed.forEach((k, v) -> {
            g.values.put(k, v);
            g.times.put(k, now);
        });
        if (g.established) {
            Resource any = g.resources.get(0);
            session.append(Wire.DATA, wire.key(any), now, wire.data(any, changed, now));
        }
    }

    /** A group's metrics are known: DBIRTH now if a session is open, else with the next births. */
    private void establish(Group g) {
        g.established = true;
        lastBirthLatencyMs = (System.nanoTime() - g.attachedAtNanos) / 1_000_000;
        if (session.born()) {
            long now = System.currentTimeMillis();
            session.append(Wire.BIRTH, g.name, now, wire.groupBirth(g, now));
        }
    }

    /** A device birth asked for by a host (Device Control/Rebirth). */
    void rebirth(Group g) {
        if (g.established && session.born()) {
            long now = System.currentTimeMillis();
            session.append(Wire.BIRTH, g.name, now, wire.groupBirth(g, now));
        }
    }

    Group group(String name) {
        return groups.get(name);
    }

    Collection<Group> groups() {
        return groups.values();
    }

    EdgeSession session() {
        return session;
    }

    NorthboundConfig config() {
        return cfg;
    }

    long lastBirthLatencyMs() {
        return lastBirthLatencyMs;
    }

    /**
     * Ends the session intentionally (NDEATH, DISCONNECT), cancels the observations, forces the
     * queue to the disk and stops the engine. Idempotent.
     */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        loop.runAndWait(() -> {
            for (Group g : groups.values()) {
                for (Resource r : g.resources) {
                    if (r.stream != null) {
                        router.send(this, Message.builder(Verb.DELETE, r.stream, Path.of("/x/" + (++nextRequest)))
                                .build(), Meta.of(principal));
                    }
                }
            }
            session.close();
        }, 5000);
        running = false;
        loop.close();
        Logger.info("northbound: closed");
    }

    List<String> pendingRequests() {
        return List.copyOf(pending.keySet());
    }
}

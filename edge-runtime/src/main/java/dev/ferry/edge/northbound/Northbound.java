package dev.ferry.edge.northbound;

import dev.ferry.bridge.device.DeviceSession;
import dev.ferry.bridge.device.DeviceState;
import dev.ferry.edge.config.NorthboundConfig;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.route.Endpoint;
import dev.ferry.edge.route.Meta;
import dev.ferry.edge.route.Principal;
import dev.ferry.edge.route.Route;
import dev.ferry.edge.route.Router;
import dev.ferry.edge.serial.SerialLines;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 * <p>The parts: {@link Observer} (requests through the router), {@link Publisher} (readings into
 * queued records), {@link Commands} (from the broker), {@link EdgeSession} (the MQTT session and
 * its {@link QueueDrain}), {@link Wire} (the two topic and payload formats). Everything runs on
 * one engine thread ({@link EngineLoop}); {@link #deliver} never blocks (false, counted, when the
 * engine's queue is full).
 */
public final class Northbound implements Endpoint, SerialLines.Lifecycle, AutoCloseable {
    public static final String ID = "northbound";
    public static final Path MOUNT = Path.of("/#northbound");

    private final NorthboundConfig cfg;
    private final Router router;
    private final Metrics metrics;
    private final Principal principal;
    private final EngineLoop loop = new EngineLoop("ferry-northbound", 8192);
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final EdgeSession session;
    private final Publisher publisher;
    private final Observer observer;
    private final Commands commands;
    private volatile boolean running;

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
        Wire wire = cfg.mode() == NorthboundConfig.Mode.SPARKPLUG ? new SparkplugWire(cfg, groups::get)
                : new PlainWire(cfg);
        this.session = new EdgeSession(cfg, loop, metrics, wire,
                () -> groups.values().stream().filter(g -> g.established).toList());
        this.publisher = new Publisher(cfg, metrics, wire, session);
        this.observer = new Observer(this, router, metrics, loop, publisher, () -> running);
        this.commands = new Commands(groups, observer, publisher, wire, session, metrics);
        observer.commands(commands);
        describe(metrics);
    }

    private static void describe(Metrics m) {
        m.describe("ferry_northbound_published_total", "Northbound data messages the broker took (live)");
        m.describe("ferry_northbound_replayed_total", "Northbound data messages replayed from the queue (historical)");
        m.describe("ferry_northbound_queued_total", "Northbound messages stored in the queue");
        m.describe("ferry_northbound_dropped_total", "Northbound messages or readings dropped, by reason");
        m.describe("ferry_northbound_connects_total", "Northbound MQTT connections established");
        m.describe("ferry_northbound_refusals_total",
                "Northbound connections refused or ended by the broker for a reason retrying soon cannot cure");
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
        metrics.gauge("ferry_northbound_queue_messages", () -> session.queue().depth());
        metrics.gauge("ferry_northbound_queue_bytes", () -> session.queue().bytes());
        metrics.gauge("ferry_northbound_connected", () -> session.state() == EdgeSession.State.BORN ? 1 : 0);
        loop.start();
        session.start(commands::inbound);
        loop.post(() -> {
            for (Group g : groups.values()) {
                if (!g.local) {
                    observer.attach(g, cfg.birthWaitMs());
                }
            }
            syncTimer();
        });
        Logger.info("northbound: {} to {}:{} ({} resource(s) in {} group(s))", cfg.mode().name().toLowerCase(
                Locale.ROOT), cfg.broker().host(), cfg.broker().port(), cfg.publish().size(), groups.size());
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
        return deliver(m, null);
    }

    /**
     * Like {@link #deliver(Message)}; a value the gateway marks stale (last seen before the device's
     * outage, perhaps before it restarted) is not published as the device's state.
     */
    @Override
    public boolean deliver(Message m, Meta meta) {
        boolean stale = meta != null && meta.stale();
        if (running && loop.post(() -> observer.reply(m, stale))) {
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
            loop.postCritical(() -> observer.attach(g, cfg.birthWaitMs()));
        } else if (from == DeviceState.ATTACHED) {
            loop.postCritical(() -> {
                observer.detach(g);
                publisher.lost(g);
                Logger.info("northbound: {} lost ({})", g.name, reason);
            });
        }
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
        return publisher.lastBirthLatencyMs();
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
            observer.cancelAll(groups.values());
            session.close();
        }, 5000);
        running = false;
        loop.close();
        Logger.info("northbound: closed");
    }

    List<String> pendingRequests() {
        return observer.pendingRequests();
    }
}

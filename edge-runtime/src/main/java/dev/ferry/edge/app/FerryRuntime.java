package dev.ferry.edge.app;

import dev.ferry.edge.config.FerryConfig;
import dev.ferry.edge.config.LimitsConfig;
import dev.ferry.edge.http.LanFacade;
import dev.ferry.edge.http.LanFacadeConfig;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.northbound.Northbound;
import dev.ferry.edge.northbound.NorthboundPolicy;
import dev.ferry.edge.northbound.NorthboundView;
import dev.ferry.edge.route.RouteTable;
import dev.ferry.edge.route.Router;
import dev.ferry.edge.route.StreamTable;
import dev.ferry.edge.route.Principal;
import dev.ferry.edge.runtime.DeviceCatalog;
import dev.ferry.edge.runtime.RuntimeResources;
import dev.ferry.edge.resi.PeerLink;
import dev.ferry.edge.security.GatewayPolicy;
import dev.ferry.edge.security.PeerAccess;
import dev.ferry.edge.serial.SerialLines;
import dev.ferry.edge.serial.SerialViews;
import dev.ferry.edge.sim.FirmwareProcess;
import java.util.List;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * One running Ferry: the pieces a configuration asks for, wired along the data flow.
 *
 * <pre>
 *   serial lines ── device endpoints ──┐ (each behind a SharedEndpoint: shared observations,
 *   peer links (RESI over TCP/UDP/RAET)┤  last-value cache)
 *                                      ├── Router ── RouteTable (fixed, from config)
 *   LAN facade (HTTP/SSE/WebSocket) ───┤      └── StreamTable (bounded)
 *   runtime resources (/#runtime/…) ───┤     rendezvous: device presence by namespace
 *   northbound (MQTT 5 / Sparkplug B) ─┘     store-and-forward queue on disk
 * </pre>
 *
 * Parts are started in dependency order and closed in reverse; {@link #close()} ends open
 * streams, closes ports and sockets and logs the final counters.
 */
public final class FerryRuntime implements AutoCloseable {
    private final FerryConfig config;
    private final Metrics metrics = new Metrics();
    private final Router router;
    private final RuntimeResources runtime;
    private final GatewayPolicy policy = new GatewayPolicy();
    private final Deque<AutoCloseable> parts = new ArrayDeque<>();
    private volatile PeerAssembly peers;   // set in startParts; the peer policy asks it what is offered
    private final CountDownLatch terminated = new CountDownLatch(1);
    private LanFacade lan;
    private SerialLines serial;
    private volatile boolean closed;

    private FerryRuntime(FerryConfig config) {
        this.config = config;
        LimitsConfig limits = config.limits();
        RouteTable table = RouteAssembly.build(config);
        this.router = new Router(table, new StreamTable(limits.maxStreams()), metrics,
                TimeUnit.MILLISECONDS.toNanos(limits.requestTimeoutMs()), System::nanoTime);
        this.runtime = new RuntimeResources(metrics, 1024, 256, 1000);
        // LAN clients' rules come from LanSecurity (startParts); peers reach what this node offers them.
        policy.set(Principal.Kind.PEER, new PeerAccess(this::offeredTo, metrics))
                .set(Principal.Kind.NORTHBOUND, new NorthboundPolicy(config.northbound()));
        router.policy(policy);
    }

    /**
     * Starts everything {@code config} describes.
     *
     * @throws IOException if a part cannot start (a port in use, firmware that cannot be built);
     *     what was started is closed again
     */
    public static FerryRuntime start(FerryConfig config) throws IOException {
        FerryRuntime rt = new FerryRuntime(config);
        try {
            rt.startParts();
        } catch (IOException | RuntimeException e) {
            rt.close();
            throw e;
        }
        return rt;
    }

    private void startParts() throws IOException {
        LanSecurity lanSecurity = LanSecurity.load(config);
        lanSecurity.install(policy);
        RuntimeViews.register(runtime, router, metrics, config);
        DeviceCatalog catalog = RuntimeViews.openApi(runtime, router, config);
        router.attach(runtime);
        runtime.start(router);
        parts.push(runtime);
        ObservationAssembly observations = new ObservationAssembly(config, router, metrics, runtime);
        parts.push(observations);
        if (config.http().enabled()) {
            lan = new LanFacade(lanConfig(), lanSecurity.facade(), router, metrics);
            lan.bind();   // the port is needed below; clients wait until everything is registered
            parts.push(lan);
        }
        Northbound northbound = null;
        if (config.northbound().enabled()) {
            java.util.Map<String, dev.ferry.rp.Path> mounts = new java.util.HashMap<>();
            config.devices().forEach(d -> mounts.put(d.name(), dev.ferry.rp.Path.of(d.mount())));
            northbound = new Northbound(config.northbound(), router, metrics, mounts);
            NorthboundView.register(runtime, metrics, northbound);
        }
        PresenceAssembly presence = new PresenceAssembly(config);
        parts.push(presence);
        presence.start(runtime, metrics, baseUrl(config.http().tls(), config.http().listen().host(), httpPort()), lanSecurity);
        if (northbound != null) {
            northbound.start();      // before the lines, so that it hears every device attach
            parts.push(northbound);
        }
        if (!config.lines().isEmpty()) {
            List<SerialLines.Lifecycle> listeners = new java.util.ArrayList<>();
            listeners.add((session, from, to, reason) -> runtime.changed("devices"));
            listeners.add(presence);
            if (northbound != null) {
                listeners.add(northbound);
            }
            listeners.add(RuntimeViews.catalogOf(catalog, config));
            serial = SerialLines.start(config, router, metrics, observations.attacher(), FirmwareProcess.locateBoards(),
                    listeners);
            parts.push(serial);
            SerialViews.register(runtime, metrics, serial);
        }
        PeerAssembly peers = new PeerAssembly();
        this.peers = peers;
        parts.push(peers);
        peers.start(config, router, observations.attacher(), runtime, metrics);
        if (lan != null) {
            lan.open();
        }
        Logger.info("ferry {} started: {} routes, {} lines, {} peers", config.node().id(),
                router.table().routes().size(), config.lines().size(), config.peers().size());
    }

    /** What this node offers the peer {@code id} now (nothing for an unknown peer). */
    private List<dev.ferry.rp.Path> offeredTo(String id) {
        PeerLink link = peerLink(id);
        return link == null ? List.of() : link.offered();
    }

    /** The link to peer {@code id}, or null. */
    PeerLink peerLink(String id) {
        PeerAssembly p = peers;
        return p == null ? null : p.link(id);
    }

    private LanFacadeConfig lanConfig() {
        LimitsConfig l = config.limits();
        return new LanFacadeConfig(config.http().listen().host(), config.http().listen().port(),
                config.http().maxConnections(), l.maxRequestBody(),
                Duration.ofMillis(l.requestTimeoutMs() + 1000L));
    }

    /**
     * The facade's base URL for {@code host} and {@code port}, IPv6 in brackets ({@code http://[::1]:8080});
     * without a port when there is no facade ({@code port} -1: {@code [http] enabled = false}).
     */
    static String baseUrl(String host, int port) {
        return baseUrl(false, host, port);
    }

    /** Like {@link #baseUrl(String, int)}, {@code https} when the facade speaks TLS. */
    static String baseUrl(boolean tls, String host, int port) {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return (tls ? "https://" : "http://") + (port < 0 ? h : h + ":" + port);
    }

    public Router router() {
        return router;
    }

    public Metrics metrics() {
        return metrics;
    }

    /** The HTTP port actually bound (useful when the config asked for port 0), or -1. */
    public int httpPort() {
        return lan == null ? -1 : lan.port();
    }

    /** Tells a person at a terminal what is running and how to try it. */
    public void printWelcome(PrintStream out) {
        String base = lan == null ? null : baseUrl(config.http().tls(), config.http().listen().host(), lan.port());
        out.println("Ferry is running on its embedded default: a simulated MCU mounted at /dev0.");
        if (base != null) {
            out.println("  status page:  " + base + "/");
            out.println("  try:          curl " + base + "/dev0/sensors/temp");
            out.println("                curl -N -H 'Accept: text/event-stream' " + base + "/dev0/sensors/temp");
            out.println("                curl -X PUT -H 'Content-Type: application/json' -d true " + base + "/dev0/leds/0");
        }
        out.println("Stop with Ctrl-C.");
    }

    /** Blocks until {@link #close()} ran. */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!parts.isEmpty()) {
            AutoCloseable p = parts.pop();
            try {
                p.close();
            } catch (Exception e) {
                Logger.warn(e, "closing {} failed", p);
            }
        }
        Logger.info("ferry stopped; counters: {}", metrics.snapshot());
        terminated.countDown();
    }
}

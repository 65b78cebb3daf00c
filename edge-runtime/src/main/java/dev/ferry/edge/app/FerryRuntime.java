package dev.ferry.edge.app;

import dev.ferry.edge.config.FerryConfig;
import dev.ferry.edge.config.HostPort;
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
import dev.ferry.edge.security.GatewayPolicy;
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
 *   serial lines ── device endpoints ──┐
 *   peer links (RESI over TCP/UDP/RAET)┼── Router ── RouteTable (fixed, from config)
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
        // Until the LAN-security work configures them, LAN clients and peers keep today's access.
        policy.set(Principal.Kind.LOCAL, dev.ferry.edge.route.AccessPolicy.ALLOW_ALL)
                .set(Principal.Kind.CLIENT, dev.ferry.edge.route.AccessPolicy.ALLOW_ALL)
                .set(Principal.Kind.PEER, dev.ferry.edge.route.AccessPolicy.ALLOW_ALL)
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
        RuntimeViews.register(runtime, router, metrics, config);
        DeviceCatalog catalog = RuntimeViews.openApi(runtime, router, config);
        router.attach(runtime);
        runtime.start(router);
        parts.push(runtime);
        if (config.http().enabled()) {
            lan = new LanFacade(lanConfig(), router, metrics);
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
        presence.start(runtime, metrics, baseUrl(config.http().listen().host(), httpPort()));
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
            serial = SerialLines.start(config, router, metrics, FirmwareProcess.locateBoards(), listeners);
            parts.push(serial);
            SerialViews.register(runtime, metrics, serial);
        }
        PeerAssembly peers = new PeerAssembly();
        parts.push(peers);
        peers.start(config, router, runtime, metrics);
        if (lan != null) {
            lan.open();
        }
        Logger.info("ferry {} started: {} routes, {} lines, {} peers", config.node().id(),
                router.table().routes().size(), config.lines().size(), config.peers().size());
    }

    private LanFacadeConfig lanConfig() {
        LimitsConfig l = config.limits();
        return new LanFacadeConfig(config.http().listen().host(), config.http().listen().port(),
                config.http().maxConnections(), l.maxRequestBody(),
                Duration.ofMillis(l.requestTimeoutMs() + 1000L));
    }

    /** The facade's base URL for {@code host} and {@code port}, IPv6 in brackets ({@code http://[::1]:8080}). */
    static String baseUrl(String host, int port) {
        return "http://" + new HostPort(host, port);
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
        String base = lan == null ? null : baseUrl(config.http().listen().host(), lan.port());
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

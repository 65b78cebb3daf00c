package dev.ferry.edge.service;

import dev.ferry.edge.config.FerryConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import org.tinylog.Logger;

/**
 * Ferry's side of a {@code Type=notify} systemd service: {@code READY=1} once the runtime has
 * started, a watchdog that is fed only while the service answers, {@code STOPPING=1} at shutdown.
 * Outside systemd (no {@code NOTIFY_SOCKET}) every method does nothing.
 *
 * <p>The liveness probe is an HTTP GET of {@code /#runtime/time} over the loopback interface: it
 * passes through the facade's event loop, the router and the runtime thread, so a hang in any
 * of them stops the watchdog. With the facade disabled the probe only checks the process is up.
 */
public final class SystemdService implements AutoCloseable {
    static final int PROBE_TIMEOUT_MS = 3000;

    /** A service that does nothing (not run by systemd, or already closed). */
    public static final SystemdService NONE = new SystemdService(null, null);

    private final SdNotify notify;
    private final ServiceWatchdog watchdog;

    private SystemdService(SdNotify notify, ServiceWatchdog watchdog) {
        this.notify = notify;
        this.watchdog = watchdog;
    }

    /**
     * Reports the started runtime to systemd (when run by it) and starts feeding the watchdog
     * (when {@code WATCHDOG_USEC} is set for this process).
     *
     * @param httpPort the facade's bound port, or -1 when the facade is disabled
     */
    public static SystemdService started(FerryConfig cfg, int httpPort) {
        return started(System.getenv(), cfg, httpPort);
    }

    static SystemdService started(Map<String, String> env, FerryConfig cfg, int httpPort) {
        Optional<SdNotify> n = SdNotify.fromEnvironment(env);
        if (n.isEmpty()) {
            return NONE;
        }
        SdNotify notify = n.get();
        String status = "serving " + cfg.devices().size() + " devices on " + cfg.lines().size() + " lines"
                + (httpPort > 0 ? ", http port " + httpPort : "");
        boolean sent = notify.send("READY=1\nSTATUS=" + status + "\nMAINPID=" + ProcessHandle.current().pid());
        Logger.info("systemd: READY sent {} ({})", sent ? "ok" : "FAILED",
                notify.isNative() ? "native socket" : "systemd-notify");
        long usec = ServiceWatchdog.watchdogUsec(env.get("WATCHDOG_USEC"), env.get("WATCHDOG_PID"),
                ProcessHandle.current().pid());
        ServiceWatchdog w = null;
        if (usec > 0) {
            LocalHttp.Way to = null;
            if (httpPort > 0) {
                try {
                    to = LocalHttp.Way.of(cfg, httpPort);
                } catch (IOException e) {
                    Logger.warn("systemd: the watchdog cannot use the facade's certificate ({}); probing nothing", e.toString());
                }
            }
            LocalHttp.Way probed = to;
            boolean anonymous = cfg.http().allowAnonymousLoopback();
            w = new ServiceWatchdog(notify, usec, () -> probe(probed, anonymous));
            w.start();
            Logger.info("systemd: feeding the watchdog every {} ms", usec / 2000);
        }
        return new SystemdService(notify, w);
    }

    static boolean probe(InetSocketAddress facade) {
        return probe(facade == null ? null : new LocalHttp.Way(facade, null, null), true);
    }

    /**
     * True when the facade answers {@code /#runtime/time}: 200, or, when loopback clients need
     * credentials (the probe has none), 401, which still shows the facade's event loop answering.
     */
    static boolean probe(LocalHttp.Way facade, boolean anonymousLoopback) {
        if (facade == null) {
            return true;
        }
        try {
            int status = LocalHttp.get(facade, "/%23runtime/time", PROBE_TIMEOUT_MS).status();
            return status == 200 || (status == 401 && !anonymousLoopback);
        } catch (IOException e) {
            Logger.debug("watchdog probe: {}", e.toString());
            return false;
        }
    }

    /** Tells systemd the service is stopping and stops the watchdog; call from the shutdown hook. */
    @Override
    public void close() {
        if (watchdog != null) {
            watchdog.close();
        }
        if (notify != null) {
            notify.send("STOPPING=1");
            notify.close();
        }
    }
}

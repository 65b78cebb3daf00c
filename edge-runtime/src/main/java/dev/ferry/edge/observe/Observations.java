package dev.ferry.edge.observe;

import dev.ferry.edge.config.ObservationsConfig;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.route.Endpoint;
import dev.ferry.edge.route.Inbound;
import dev.ferry.edge.route.Router;
import dev.ferry.edge.route.StreamTable;
import dev.ferry.rp.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.tinylog.Logger;

/**
 * Shared observations for a whole gateway (DESIGN.md 11, issue 16): puts a {@link SharedEndpoint}
 * in front of every device and peer endpoint ({@link #attacher}), and owns what they share — the
 * {@link LastValueCache}, the gateway-wide subscriber bound, the timer thread for lingers and
 * time-outs — and the view {@code /#runtime/observations}.
 *
 * <pre>
 *   FerryRuntime: hub = new Observations(cfg.observations(), router, metrics)
 *                 SerialLines.start(..., hub.attacher(rulesFor))   devices behind SharedEndpoints
 *                 link.startWith(hub.attacher(rulesFor))           peers too
 * </pre>
 *
 * Thread-safe. {@link #close()} stops the timer thread.
 */
public final class Observations implements AutoCloseable {
    private static final int TOKEN_BYTES = 12;

    private final ObservationsConfig config;
    private final Router router;
    private final Metrics metrics;
    private final LongSupplier nanoTime;
    private final LastValueCache cache;
    private final List<SharedEndpoint> endpoints = new CopyOnWriteArrayList<>();
    private final AtomicInteger subscribers = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();
    private final ScheduledExecutorService timer;

    public Observations(ObservationsConfig config, Router router, Metrics metrics) {
        this(config, router, metrics, System::nanoTime);
    }

    /** With a clock of {@code System.nanoTime()}'s scale (tests). */
    public Observations(ObservationsConfig config, Router router, Metrics metrics, LongSupplier nanoTime) {
        this.config = config;
        this.router = router;
        this.metrics = metrics;
        this.nanoTime = nanoTime;
        this.cache = new LastValueCache(config.cacheEntries(), config.cacheBytes(), metrics);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ferry-observations");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
        metrics.gauge("ferry_observations_subscribers", subscribers::get);
        metrics.gauge("ferry_observations_shared", this::shared);
        metrics.gauge("ferry_cache_entries", cache::size);
        metrics.gauge("ferry_cache_bytes", cache::bytes);
        describe(metrics);
    }

    private static void describe(Metrics m) {
        m.describe("ferry_observations_subscribers", "Subscribers of all shared observations.");
        m.describe("ferry_observations_shared", "Shared observations (one upstream stream each, or lingering).");
        m.describe("ferry_observations_updates_total", "Values received on shared upstream streams.");
        m.describe("ferry_observations_upstream_opens_total", "Upstream streams asked for (on the MCU or a peer).");
        m.describe("ferry_observations_orphans_cancelled_total", "Upstream streams cancelled when their endpoint"
                + " came back after an outage (a device that was only unreachable still held them).");
        m.describe("ferry_observations_stale_events_total", "Subscribers told their value is stale (device lost).");
        m.describe("ferry_observations_refused_total", "Subscriptions and requests refused here, by reason"
                + " (per_resource, total, observations, down, not_owner).");
        m.describe("ferry_observations_dropped_total", "Updates a subscriber did not get, by reason (paused,"
                + " refused, cut_off), and upstream messages nobody wanted (late, control_refused).");
        m.describe("ferry_cache_hits_total", "GETs answered from the last-value cache, by kind (fresh, stale).");
        m.describe("ferry_cache_misses_total", "GETs the last-value cache could not answer.");
        m.describe("ferry_cache_coalesced_total", "GETs that waited for an identical one already on its way.");
        m.describe("ferry_cache_entries", "Values in the last-value cache.");
        m.describe("ferry_cache_bytes", "Bytes of the last-value cache, as its bound counts them.");
    }

    /** Puts a {@link SharedEndpoint} in front of {@code inner}, attaches it to the router, returns it. */
    public SharedEndpoint attach(Endpoint inner, MaxAgeRules rules) {
        SharedEndpoint s = new SharedEndpoint(inner, this, rules);
        router.attach(s);
        endpoints.add(s);
        return s;
    }

    /** An attacher that puts every endpoint behind a {@link SharedEndpoint} with the given defaults. */
    public Inbound.Attacher attacher(Function<Endpoint, MaxAgeRules> rules) {
        return e -> attach(e, rules.apply(e));
    }

    /** The shared endpoints, in the order they were attached. */
    public List<SharedEndpoint> endpoints() {
        return List.copyOf(endpoints);
    }

    public LastValueCache cache() {
        return cache;
    }

    /** Subscribers of all shared observations now. */
    public int subscribers() {
        return subscribers.get();
    }

    /** Shared observations now. */
    public int shared() {
        int n = 0;
        for (SharedEndpoint e : endpoints) {
            n += e.subscriptions().size();
        }
        return n;
    }

    ObservationsConfig config() {
        return config;
    }

    Router router() {
        return router;
    }

    Metrics metrics() {
        return metrics;
    }

    long now() {
        return nanoTime.getAsLong();
    }

    long requestTimeoutMs() {
        return TimeUnit.NANOSECONDS.toMillis(router.requestTimeoutNanos());
    }

    /** GETs a shared endpoint may track at once: as many as the router has exchanges. */
    int maxPendingGets() {
        return router.streams().capacity();
    }

    /** Takes one of the gateway-wide subscriber places; false when none is left. */
    boolean reserveSubscriber() {
        if (subscribers.incrementAndGet() > config.maxSubscribers()) {
            subscribers.decrementAndGet();
            return false;
        }
        return true;
    }

    void releaseSubscriber() {
        subscribers.decrementAndGet();
    }

    /** An unguessable token for a subscriber's stream path (96 random bits, URL-safe base64). */
    String token() {
        byte[] b = new byte[TOKEN_BYTES];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The router endpoint an exchange came through ({@code lan}, {@code peer:x}), for the view. */
    String requester(Path replyTo) {
        StreamTable.Entry e = router.streams().get(replyTo);
        return e == null ? "unknown" : e.requester();
    }

    /** Runs {@code r} on the timer thread after {@code ms}; null once closed. */
    ScheduledFuture<?> schedule(Runnable r, long ms) {
        try {
            return timer.schedule(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    Logger.error(e, "observations: timer task failed");
                }
            }, ms, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            return null;
        }
    }

    private void sweep() {
        try {
            long now = now();
            for (SharedEndpoint e : endpoints) {
                e.gets().sweep(now);
            }
        } catch (RuntimeException e) {
            Logger.error(e, "observations: sweep failed");
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

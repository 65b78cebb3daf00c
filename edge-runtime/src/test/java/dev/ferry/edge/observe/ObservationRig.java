package dev.ferry.edge.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.ferry.edge.config.ObservationsConfig;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.route.Endpoint;
import dev.ferry.edge.route.Meta;
import dev.ferry.edge.route.Principal;
import dev.ferry.edge.route.Route;
import dev.ferry.edge.route.RouteTable;
import dev.ferry.edge.route.Router;
import dev.ferry.edge.route.StreamTable;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real {@link Router} with a {@link SharedEndpoint} in front of a scripted device
 * ({@code device:dev0} at {@code /dev0}: it records what reaches it; the test answers for it), and
 * two client endpoints ({@code lan} at {@code /#lan}, {@code peer:gw-b} at {@code /#peers/gw-b})
 * that record what the router delivers, meta included. The clock is the test's.
 */
final class ObservationRig implements AutoCloseable {
    static final Principal ALICE = Principal.client("alice");
    static final Principal BOB = Principal.client("bob");

    /** What an endpoint received. */
    record Got(Message m, Meta meta) { }

    /** An endpoint that records deliveries; {@code refuse} makes it refuse them (a slow client). */
    static final class Recorder implements Endpoint {
        final LinkedBlockingQueue<Got> got = new LinkedBlockingQueue<>();
        final String id;
        final Path mount;
        volatile boolean live = true;
        volatile boolean refuse;

        Recorder(String id, String mount) {
            this.id = id;
            this.mount = Path.of(mount);
        }

        @Override public String id() {
            return id;
        }

        @Override public Path mount() {
            return mount;
        }

        @Override public boolean live() {
            return live;
        }

        @Override public boolean deliver(Message m) {
            return deliver(m, Meta.of(Principal.RUNTIME));
        }

        @Override public boolean deliver(Message m, Meta meta) {
            if (refuse || !live) {
                return false;
            }
            got.add(new Got(m, meta));
            return true;
        }

        /** The next delivery within 5 s (fails otherwise). */
        Got next() throws InterruptedException {
            Got g = got.poll(5, TimeUnit.SECONDS);
            assertNotNull(g, id + " received nothing");
            return g;
        }

        /** The next delivery within {@code ms}, or null. */
        Got poll(long ms) throws InterruptedException {
            return got.poll(ms, TimeUnit.MILLISECONDS);
        }
    }

    final Metrics metrics = new Metrics();
    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    final Router router;
    final Recorder device = new Recorder("device:dev0", "/dev0");
    final Recorder lan = new Recorder("lan", "/#lan");
    final Recorder peer = new Recorder("peer:gw-b", "/#peers/gw-b");
    final Observations hub;
    final SharedEndpoint shared;
    private int next;

    ObservationRig(ObservationsConfig cfg, MaxAgeRules rules) {
        router = new Router(RouteTable.of(List.of(Route.mount(Path.of("/#lan"), "lan"),
                Route.mount(Path.of("/#peers/gw-b"), "peer:gw-b"), Route.mount(Path.of("/dev0"), "device:dev0"))),
                new StreamTable(64), metrics, TimeUnit.SECONDS.toNanos(5), System::nanoTime);
        router.attach(lan);
        router.attach(peer);
        hub = new Observations(cfg, router, metrics, clock::get);
        shared = hub.attach(device, rules);
    }

    ObservationRig() {
        this(new ObservationsConfig(50, 4, 8, 3, 16, 64 * 1024), MaxAgeRules.NONE);
    }

    static Message msg(Verb v, String to, String from, boolean eof, String json) {
        Message.Builder b = Message.builder(v, Path.of(to), Path.of(from)).eof(eof);
        return json == null ? b.build() : b.body(BodyType.JSON, json.getBytes(StandardCharsets.UTF_8)).build();
    }

    /**
     * A LAN client {@code who} observes {@code path} (host namespace); returns its return path as
     * the LAN endpoint sees it (its replies' {@code to}); {@link #host} gives the router's view.
     */
    String observe(Principal who, String path) {
        String from = "/" + (++next);
        router.send(lan, msg(Verb.GET, path, from, false, null), Meta.of(who));
        return from;
    }

    /** A plain GET with {@code meta}'s principal and cache hints; returns its return path as {@link #observe}. */
    String get(Meta meta, String path) {
        String from = "/" + (++next);
        router.send(lan, msg(Verb.GET, path, from, true, null), meta);
        return from;
    }

    /** A LAN return path in the host namespace. */
    static String host(String lanPath) {
        return "/#lan" + lanPath;
    }

    /** The device answers {@code to} (host namespace) from its stream {@code from}. */
    void deviceSays(String to, String from, boolean eof, String json) {
        shared.message(device, msg(Verb.REP, to, from, eof, json), Meta.of(device.principal()));
    }

    /** Expects the device to be asked {@code verb path}; returns the request. */
    Message expectAtDevice(Verb verb, String path) throws InterruptedException {
        Message m = device.next().m();
        assertEquals(verb, m.verb(), m.toString());
        assertEquals(path, m.to().toString(), m.toString());
        return m;
    }

    void advanceMs(long ms) {
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    static String body(Message m) {
        return new String(m.body(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        hub.close();
    }
}

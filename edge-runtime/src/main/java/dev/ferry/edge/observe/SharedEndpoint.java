package dev.ferry.edge.observe;

import dev.ferry.edge.route.Endpoint;
import dev.ferry.edge.route.Inbound;
import dev.ferry.edge.route.Meta;
import dev.ferry.edge.route.Paths;
import dev.ferry.edge.route.Principal;
import dev.ferry.edge.route.Router;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Decoded;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The decorator in front of one device (or peer) endpoint that makes its observations shared and
 * its values cached (DESIGN.md 11). It is attached to the router in the wrapped endpoint's place,
 * under the same id and mount, and it is the wrapped endpoint's {@link Inbound}:
 *
 * <pre>
 *   Router ── deliver(m, meta) ─▶ SharedEndpoint ──────────────▶ inner.deliver (device / peer link)
 *              GET E0, #changes  → Subscriptions: one upstream GET E0 per (path, params), from
 *                                  &lt;mount&gt;#obs/&lt;n&gt;; each subscriber answered from &lt;path&gt;#obs/&lt;token&gt;
 *              &lt;path&gt;#obs/…     → that subscriber's flow / cancel
 *              GET (plain)       → CachedGets: fresh enough cached value, else coalesced, else on
 *              anything else     → on to the inner endpoint (503 here while it is down)
 *   Router ◀─ router.send(this) ◀─ message(…) ◀─ inner side: replies to #obs/… are ours (fanned
 *                                  out); the rest go on (GET answers cached on the way)
 *              down / up         → subscribers told (stale), kept, re-subscribed upstream on up
 * </pre>
 *
 * <p>Callers may rely on: {@link #deliver} never blocks; at most one upstream stream per
 * (resource, parameters) is open at a time; a subscriber's stream path is unguessable and only its
 * owner (or the runtime) may pause or cancel it; requests addressed to the shared upstream stream
 * itself are refused (403), so no client can pause or cancel it for the others. Thread-safe.
 */
public final class SharedEndpoint implements Endpoint, Inbound {
    /** What upstream requests carry: from the gateway, accepting a peer's stale values. */
    private static final Meta UPSTREAM = new Meta(Principal.RUNTIME, -1, true, -1, false, false);

    private final Endpoint inner;
    private final Observations hub;
    private final Router router;
    private final String upstreamPrefix;
    private final Subscriptions subscriptions;
    private final CachedGets gets;

    SharedEndpoint(Endpoint inner, Observations hub, MaxAgeRules maxAge) {
        this.inner = inner;
        this.hub = hub;
        this.router = hub.router();
        this.upstreamPrefix = Paths.under(inner.mount(), Path.of("/#" + Tags.OBS)).value() + "/";
        this.subscriptions = new Subscriptions(this, hub);
        this.gets = new CachedGets(this, hub, maxAge);
    }

    /** The wrapped endpoint. */
    public Endpoint inner() {
        return inner;
    }

    @Override public String id() {
        return inner.id();
    }

    @Override public Path mount() {
        return inner.mount();
    }

    @Override public Principal principal() {
        return inner.principal();
    }

    /** Always true: while the inner endpoint is down, this one still answers (stale values or 503). */
    @Override public boolean live() {
        return true;
    }

    @Override public boolean deliver(Message m) {
        return deliver(m, Meta.of(Principal.RUNTIME));
    }

    @Override public boolean deliver(Message m, Meta meta) {
        if (m.verb() == Verb.REP || m.verb() == Verb.ERROR) {
            return inner.deliver(m, meta);        // answers to the device's own requests
        }
        if (Tags.has(m.to(), Tags.OBS)) {
            subscriptions.control(m, meta);
            return true;
        }
        if (subscriptions.isUpstream(m.to())) {
            error(m, 403, "the stream belongs to the gateway's shared observation; observe the resource instead");
            return true;
        }
        if (m.verb() == Verb.GET && Tags.cacheable(m.to()) && m.bodyLength() <= Tags.MAX_PARAMS) {
            if (Tags.observes(m)) {
                subscriptions.subscribe(m, meta);
                return true;
            }
            return gets.get(m, meta);
        }
        return forward(m, meta);
    }

    // ---- the inner side (Inbound) -------------------------------------------------------------

    @Override public void message(Endpoint source, Message m, Meta meta) {
        boolean reply = m.verb() == Verb.REP || m.verb() == Verb.ERROR;
        if (reply && m.to().toString().startsWith(upstreamPrefix)) {
            subscriptions.upstream(m, meta);
            return;
        }
        Meta out = meta;
        if (reply) {
            gets.snoop(m, meta);
            if (m.verb() == Verb.REP && !meta.hasFreshness()) {
                out = meta.withFreshness(0, false, false);   // live from the device
            }
        }
        router.send(this, m, out);
    }

    @Override public void down(Endpoint source, String reason) {
        hub.cache().markStale(id());
        Set<Path> keep = subscriptions.down(reason);
        gets.down();
        router.endpointDown(id(), reason, e -> keep.contains(e.replyTo()));
    }

    @Override public void up(Endpoint source) {
        subscriptions.up();
    }

    // ---- for Subscriptions and CachedGets ----------------------------------------------------

    Subscriptions subscriptions() {
        return subscriptions;
    }

    CachedGets gets() {
        return gets;
    }

    boolean innerLive() {
        return inner.live();
    }

    /** Hands a request on to the inner endpoint; while it is down, answers 503 itself. */
    boolean forward(Message m, Meta meta) {
        if (!inner.live()) {
            hub.metrics().inc("ferry_observations_refused_total", "reason", "down");
            error(m, 503, id() + " is down");
            return true;
        }
        return inner.deliver(m, meta);
    }

    /** Sends one of our own requests (upstream observe, flow, cancel) to the inner endpoint. */
    boolean toInner(Message m) {
        return inner.deliver(m, UPSTREAM);
    }

    /** Sends a reply (to a subscriber or a requester) through the router as this endpoint. */
    boolean reply(Message m, Meta meta) {
        return router.send(this, m, meta);
    }

    /** Answers request {@code req} with an ERROR (end of stream). */
    void error(Message req, int status, String reason) {
        end(req.from(), req.to(), status, reason);
    }

    /** Ends the stream from {@code from} to {@code to} with an ERROR. */
    void end(Path to, Path from, int status, String reason) {
        reply(Message.builder(Verb.ERROR, to, from).status(status)
                .body(BodyType.TEXT, reason.getBytes(StandardCharsets.UTF_8)).build(), Meta.of(principal()));
    }

    /** Our return path number {@code n} for an upstream request, in the host namespace. */
    Path upstreamPath(long n) {
        return Path.of(upstreamPrefix + n);
    }

    /** A stream path {@code <resource>#obs/<token>} for a new subscriber (short form if too long). */
    Path subscriberStream(Path resource) {
        String token = hub.token();
        String s = resource.toString() + "#" + Tags.OBS + "/" + token;
        Decoded<Path> p = Path.parse(s);
        if (!p.isOk() || !Paths.under(mount(), p.value()).isOk()) {
            return Path.of("/#" + Tags.OBS + "/" + token);
        }
        return p.value();
    }
}

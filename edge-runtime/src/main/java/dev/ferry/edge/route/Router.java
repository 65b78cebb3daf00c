package dev.ferry.edge.route;

import dev.ferry.edge.metrics.RemoteLog;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Decoded;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.tinylog.Logger;

/**
 * Carries every RP message by its {@code to} path along the fixed {@link RouteTable}.
 *
 * <pre>
 *   source endpoint ── send(source, m)
 *        │  from' = source.mount + from        (so replies find their way back)
 *        │  request: authorize(principal, to)   (stream owner, else the AccessPolicy) ⇒ 403
 *        │  reply:   must answer an exchange open with source as responder
 *        │  route = table.lookup(to)           (longest prefix)
 *        │  to'   = route.strip/add(to)        (facade rewriting)
 *        │  streams: request opens, reply marks, EOF closes (bounded)
 *        ▼
 *   target endpoint.deliver(m')  ── false ⇒ ERROR 503 to the sender, counted
 * </pre>
 *
 * <p>Every message travels with a {@link Meta} naming its {@link Principal}; requests are
 * authorized once, here (see {@link #send(Endpoint, Message, Meta)}), and the principal is
 * recorded as the owner of the stream a request opens.
 *
 * <p>Failures become RP ERRORs addressed to the sender's return path, from
 * {@code /#runtime/router}: 403 not allowed, 404 no route, 414 path too long after rewriting, 503 endpoint down,
 * queue full or stream table full, 504 no reply in time. A REP or ERROR that cannot be delivered
 * is never answered (no error loops); it is counted by reason and logged. Thread-safe: called
 * from serial line threads and Netty event loops alike; never blocks.
 */
public final class Router {
    /** The {@code from} of errors the router makes itself. */
    public static final Path ROUTER_PATH = Path.of("/#runtime/router");

    private final RouteTable table;
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final StreamTable streams;
    private final Metrics metrics;
    private final LongAdder messages;
    private final LongSupplier nanoTime;
    private final long requestTimeoutNanos;
    private volatile AccessPolicy policy = AccessPolicy.ALLOW_ALL;

    public Router(RouteTable table, StreamTable streams, Metrics metrics, long requestTimeoutNanos,
                  LongSupplier nanoTime) {
        this.table = table;
        this.streams = streams;
        this.metrics = metrics;
        this.requestTimeoutNanos = requestTimeoutNanos;
        this.nanoTime = nanoTime;
        metrics.gauge("ferry_streams_open", streams::size);
        metrics.describe("ferry_streams_open", "Exchanges and streams the router holds open now.");
        metrics.describe("ferry_router_messages_total", "Messages handed to the router.");
        metrics.describe("ferry_router_denied_total", "Requests refused with 403 by the access policy, by principal kind.");
        metrics.describe("ferry_router_dropped_total", "Messages the router did not carry, by reason.");
        metrics.describe("ferry_router_timeouts_total", "Requests answered with 504: no reply within the request timeout.");
        metrics.describe("ferry_router_errors_total", "ERRORs the router answered with itself, by status.");
        messages = metrics.counter("ferry_router_messages_total");
    }

    /** Sets the policy every request is authorized by (default {@link AccessPolicy#ALLOW_ALL}). */
    public void policy(AccessPolicy p) {
        this.policy = java.util.Objects.requireNonNull(p, "policy");
    }

    /** Makes an endpoint reachable by routes naming its id (done at start-up, from config). */
    public void attach(Endpoint endpoint) {
        if (endpoints.putIfAbsent(endpoint.id(), endpoint) != null) {
            throw new IllegalStateException("endpoint already attached: " + endpoint.id());
        }
    }

    public RouteTable table() {
        return table;
    }

    public StreamTable streams() {
        return streams;
    }

    /** The endpoint with this id, or null. */
    public Endpoint endpoint(String id) {
        return endpoints.get(id);
    }

    /**
     * Routes {@code m}, sent by {@code source} in its own namespace, on behalf of the endpoint's
     * own {@link Endpoint#principal()}. Returns true when it was handed to its target; false when
     * it was answered with an ERROR or dropped (counted).
     */
    public boolean send(Endpoint source, Message m) {
        return send(source, m, Meta.of(source.principal()));
    }

    /**
     * Routes {@code m} from {@code source} on behalf of {@code meta.principal()}.
     *
     * <p>A request is authorized here, once: flow control and cancel of a stream the principal
     * owns pass, of one another principal owns are ERROR 403; anything else asks the
     * {@link AccessPolicy} (RUNTIME is always allowed). A reply (REP/ERROR) is carried only when
     * it answers an exchange open with {@code source} as its responder; any other reply is
     * dropped as unsolicited (counted), so no endpoint can inject replies into another's streams.
     */
    public boolean send(Endpoint source, Message m, Meta meta) {
        messages.increment();
        Decoded<Path> from = Paths.under(source.mount(), m.from());
        if (!from.isOk()) {
            return drop("bad_from", m, "from path too long under " + source.mount());
        }
        Path replyTo = from.value();
        boolean request = isRequest(m.verb());
        if (request) {
            String denied = authorize(meta.principal(), m);
            if (denied != null) {
                metrics.inc("ferry_router_denied_total", "principal", meta.principal().kind().name().toLowerCase(
                        java.util.Locale.ROOT));
                return refuse(m, replyTo, 403, denied);
            }
        }
        Route route = table.lookup(m.to()).orElse(null);
        if (route == null) {
            return refuse(m, replyTo, 404, "no route to " + m.to());
        }
        Decoded<Path> to = route.rewrite(m.to());
        if (!to.isOk()) {
            return refuse(m, replyTo, 414, "path too long after rewriting " + m.to());
        }
        Endpoint target = endpoints.get(route.target());
        if (target == null || !target.live()) {
            return refuse(m, replyTo, 503, route.target() + " is down");
        }
        if (request) {
            long deadline = nanoTime.getAsLong() + requestTimeoutNanos;
            if (streams.open(replyTo, source.id(), target.id(), meta.principal(), deadline) == StreamTable.Opened.FULL) {
                metrics.inc("ferry_router_dropped_total", "reason", "streams_full");
                return refuse(m, replyTo, 503, "too many open streams (" + streams.capacity() + ")");
            }
        } else if (streams.reply(m.to(), source.id(), replyTo, m.eof()) == null) {
            return drop("unsolicited_reply", m, "no open exchange with " + source.id() + " as responder");
        }
        Message out = withPaths(m, to.value(), replyTo);
        if (!target.deliver(out, meta)) {
            if (request && m.eof()) {
                streams.reply(replyTo, null, true);
            }
            metrics.inc("ferry_router_dropped_total", "reason", "queue_full");
            return refuse(m, replyTo, 503, target.id() + " queue full");
        }
        return true;
    }

    /** Null when {@code who} may send request {@code m}, else the reason it may not. */
    private String authorize(Principal who, Message m) {
        if (who.kind() == Principal.Kind.RUNTIME) {
            return null;
        }
        StreamTable.Entry owned = streams.byStream(streamOf(m.to()));
        if (owned != null) {
            return owned.owner().equals(who) ? null : "stream " + owned.streamPath() + " belongs to another principal";
        }
        String refused = policy.refuse(who, m.verb(), m.to());
        return refused == null ? null : refused;
    }

    /** The stream a request addresses: {@code to} itself, or the stream whose {@code #flow} it is. */
    static Path streamOf(Path to) {
        String s = to.toString();
        if (s.endsWith("#flow") && s.length() > 5) {
            Decoded<Path> p = Path.parse(s.substring(0, s.length() - 5));
            return p.isOk() ? p.value() : to;
        }
        return to;
    }

    /** Ends every exchange an endpoint took part in: it detached or its link went down. */
    public void endpointDown(String endpointId, String reason) {
        Endpoint runtime = endpoints.get("runtime");
        for (StreamTable.Entry e : streams.removeEndpoint(endpointId)) {
            if (e.responder().equals(endpointId)) {
                sendError(e.replyTo(), 503, endpointId + " went away: " + reason);
            } else if (e.streamPath() != null && runtime != null) {
                // the requester vanished: cancel the stream at its source
                send(runtime, Message.builder(Verb.DELETE, e.streamPath(), ROUTER_PATH).build());
            }
        }
    }

    /** Answers requests that got no reply within the request timeout; call periodically. */
    public void expire() {
        for (StreamTable.Entry e : streams.removeExpired(nanoTime.getAsLong())) {
            metrics.inc("ferry_router_timeouts_total");
            sendError(e.replyTo(), 504, "no reply from " + e.responder() + " in time");
        }
    }

    private boolean refuse(Message m, Path replyTo, int status, String reason) {
        metrics.inc("ferry_router_errors_total", "status", Integer.toString(status));
        if (!isRequest(m.verb())) {
            return drop("undeliverable_reply", m, reason);
        }
        Logger.debug("router: {} -> ERROR {} ({})", m, status, reason);
        sendError(replyTo, status, reason);
        return false;
    }

    private void sendError(Path replyTo, int status, String reason) {
        Route back = table.lookup(replyTo).orElse(null);
        Endpoint requester = back == null ? null : endpoints.get(back.target());
        Decoded<Path> to = back == null ? null : back.rewrite(replyTo);
        Message err = Message.builder(Verb.ERROR, to == null || !to.isOk() ? replyTo : to.value(), ROUTER_PATH)
                .status(status).body(BodyType.TEXT, reason.getBytes(StandardCharsets.UTF_8)).build();
        if (requester == null || to == null || !to.isOk() || !requester.deliver(err)) {
            drop("undeliverable_error", err, reason);
        }
    }

    private boolean drop(String reason, Message m, String detail) {
        metrics.inc("ferry_router_dropped_total", "reason", reason);
        RemoteLog.warn("router:" + reason, "router dropped {} ({}): {}", m, reason, RemoteLog.excerpt(detail));
        return false;
    }

    static boolean isRequest(Verb v) {
        return v != Verb.REP && v != Verb.ERROR;
    }

    static Message withPaths(Message m, Path to, Path from) {
        Message.Builder b = Message.builder(m.verb(), to, from).eof(m.eof());
        m.flow().ifPresent(b::flow);
        if (m.verb().hasStatus()) {
            b.status(m.status());
        }
        if (m.bodyLength() > 0) {
            b.body(m.bodyType().orElse(null), m.body());
        }
        return b.build();
    }
}

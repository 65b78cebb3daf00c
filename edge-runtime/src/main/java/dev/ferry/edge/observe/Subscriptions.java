package dev.ferry.edge.observe;

import dev.ferry.edge.route.Meta;
import dev.ferry.edge.route.Principal;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tinylog.Logger;

/**
 * The shared observations behind one {@link SharedEndpoint}: subscribing, the one upstream stream
 * per (resource, parameters), fan-out, each subscriber's flow and cancel, linger, and what a
 * device's loss and return do. Everything runs under this object's lock; sends go through the
 * router, which never blocks, so a slow subscriber costs the others nothing.
 *
 * <p>Rules: a subscriber that joins gets the last value at once (marked cached, with its age),
 * then every update; a paused subscriber misses updates (counted {@code paused}) and gets the
 * latest value when it resumes; a delivery its endpoint refuses is skipped (counted
 * {@code refused}), and after {@code max_skipped} refusals in a row the subscriber is cut off
 * with ERROR 503 (counted {@code cut_off}); the upstream stream is paused only while every
 * subscriber is; it is cancelled {@code linger_ms} after the last subscriber left. When the
 * endpoint goes down every subscriber gets its last value marked stale and stays subscribed; when
 * it comes back the upstream stream is asked again.
 */
final class Subscriptions {
    private final SharedEndpoint ep;
    private final Observations hub;
    private final Upstreams upstreams;
    private final Map<LastValueCache.Key, Observation> byKey = new LinkedHashMap<>();
    private final Map<Path, Observation> byStream = new HashMap<>();

    Subscriptions(SharedEndpoint ep, Observations hub) {
        this.ep = ep;
        this.hub = hub;
        this.upstreams = new Upstreams(ep, hub);
    }

    // ---- subscribers ------------------------------------------------------------------------

    /** A GET that observes: join (or start) the shared observation of its resource. */
    synchronized void subscribe(Message m, Meta meta) {
        LastValueCache.Key key = LastValueCache.Key.of(ep.id(), m);
        Observation o = byKey.get(key);
        boolean down = !ep.innerLive();
        LastValue last = o != null && o.last != null ? o.last : hub.cache().get(key);
        String refused = down && !(meta.acceptStale() && last != null) ? "down"
                : o != null && o.subscribers.size() >= hub.config().maxSubscribersPerResource() ? "per_resource"
                : !hub.reserveSubscriber() ? "total" : null;
        if (refused != null) {
            hub.metrics().inc("ferry_observations_refused_total", "reason", refused);
            ep.error(m, 503, switch (refused) {
                case "down" -> ep.id() + " is down";
                case "per_resource" -> "too many subscribers of " + m.to() + " ("
                        + hub.config().maxSubscribersPerResource() + ")";
                default -> "too many subscribers (" + hub.config().maxSubscribers() + ")";
            });
            return;
        }
        if (o == null) {
            if (byKey.size() >= hub.config().maxSubscribers() && !closeOldestLingering()) {
                hub.releaseSubscriber();
                hub.metrics().inc("ferry_observations_refused_total", "reason", "observations");
                ep.error(m, 503, "too many shared observations (" + byKey.size() + ")");
                return;
            }
            o = new Observation(key, m);
            byKey.put(key, o);
        }
        Subscriber old = o.subscribers.remove(m.from());
        if (old != null) {                                   // the same return path again
            byStream.remove(old.stream);
            hub.releaseSubscriber();
        }
        Subscriber s = new Subscriber(m.from(), ep.subscriberStream(m.to()), meta.principal(), hub.requester(m.from()));
        o.subscribers.put(s.replyTo, s);
        byStream.put(s.stream, o);
        if (o.linger != null) {
            o.linger.cancel(false);
            o.linger = null;
        }
        if (last != null) {
            send(o, s, last, true, down || last.stale() || (o.last == last && o.lastStale), false);
        }
        if (down) {
            o.state = Observation.State.DOWN;
        } else if (o.state == Observation.State.IDLE || o.state == Observation.State.DOWN) {
            open(o);
        } else if (o.upstreamPaused) {
            upstreams.flow(o, true);
        }
    }

    /** {@code PUT|GET <stream>#flow} and {@code DELETE <stream>} on a subscriber's stream. */
    synchronized void control(Message m, Meta meta) {
        boolean flow = m.to().toString().endsWith("#flow");
        Path stream = Tags.streamOf(m.to());
        Observation o = byStream.get(stream);
        Subscriber s = o == null ? null : o.subscriberOn(stream);
        if (s == null) {
            ep.error(m, 404, "no such shared stream");
            return;
        }
        if (!s.who.equals(meta.principal()) && meta.principal().kind() != Principal.Kind.RUNTIME) {
            hub.metrics().inc("ferry_observations_refused_total", "reason", "not_owner");
            ep.error(m, 403, "the stream belongs to another principal");
            return;
        }
        if (!flow) {
            if (m.verb() != Verb.DELETE) {
                ep.error(m, 405, "a shared stream takes DELETE, and PUT/GET on its #flow");
                return;
            }
            leave(o, s);
            ep.reply(Message.builder(Verb.REP, m.from(), m.to()).build(), Meta.of(ep.principal()));
            ep.end(s.replyTo, s.stream, 499, "cancelled");
            return;
        }
        if (m.verb() == Verb.PUT) {
            String body = new String(m.body(), StandardCharsets.US_ASCII).trim();
            if (!body.equals("true") && !body.equals("false")) {
                ep.error(m, 400, "body must be true or false");
                return;
            }
            setPaused(o, s, body.equals("false"));
        } else if (m.verb() != Verb.GET) {
            ep.error(m, 405, "#flow takes PUT and GET");
            return;
        }
        byte[] state = (s.paused ? "false" : "true").getBytes(StandardCharsets.US_ASCII);
        ep.reply(Message.builder(Verb.REP, m.from(), m.to()).body(BodyType.JSON, state).build(), Meta.of(ep.principal()));
    }

    private void setPaused(Observation o, Subscriber s, boolean paused) {
        if (s.paused == paused) {
            return;
        }
        s.paused = paused;
        if (!paused) {
            if (s.missed > 0 && o.last != null) {            // skip to the latest value
                send(o, s, o.last, true, o.lastStale || o.state == Observation.State.DOWN, false);
                s.missed = 0;
            }
            if (o.upstreamPaused) {
                upstreams.flow(o, true);
            }
        } else if (o.allPaused() && o.state == Observation.State.OPEN) {
            upstreams.flow(o, false);
        }
    }

    /** Removes a subscriber; the last one out starts the linger. */
    private void leave(Observation o, Subscriber s) {
        o.subscribers.remove(s.replyTo);
        byStream.remove(s.stream);
        hub.releaseSubscriber();
        if (!o.subscribers.isEmpty()) {
            if (o.allPaused() && o.state == Observation.State.OPEN && !o.upstreamPaused) {
                upstreams.flow(o, false);
            }
            return;
        }
        if (o.state != Observation.State.OPENING && o.state != Observation.State.OPEN) {
            discard(o);
        } else if (hub.config().lingerMs() == 0) {
            close(o);
        } else {
            o.linger = hub.schedule(() -> lingerEnded(o), hub.config().lingerMs());
        }
    }

    /** Makes room for a new observation: the oldest one nobody subscribes goes now. */
    private boolean closeOldestLingering() {
        for (Observation o : byKey.values()) {
            if (o.subscribers.isEmpty()) {
                close(o);
                return true;
            }
        }
        return false;
    }

    private synchronized void lingerEnded(Observation o) {
        if (byKey.get(o.key) == o && o.subscribers.isEmpty()) {
            close(o);
        }
    }

    // ---- upstream ---------------------------------------------------------------------------

    /** True when {@code to} (or the stream whose #flow it is) is one of our upstream streams. */
    synchronized boolean isUpstream(Path to) {
        return upstreams.isUpstream(to);
    }

    private void open(Observation o) {
        if (!upstreams.open(o)) {
            fail(o, 503, ep.id() + " queue full");
            return;
        }
        Path from = o.upstreamFrom;
        o.openTimeout = hub.schedule(() -> openTimedOut(o, from), hub.requestTimeoutMs());
    }

    private synchronized void openTimedOut(Observation o, Path from) {
        if (o.state == Observation.State.OPENING && from.equals(o.upstreamFrom)) {
            upstreams.forget(o);
            fail(o, 504, "no answer from " + ep.id() + " in time");
        }
    }

    /** A reply to one of our upstream return paths: an update, the end of the stream, or a late one. */
    synchronized void upstream(Message m, Meta meta) {
        Observation o = upstreams.byFrom(m.to());
        if (o == null) {
            upstreams.late(m);
            return;
        }
        if (o.state == Observation.State.OPENING) {
            if (o.openTimeout != null) {
                o.openTimeout.cancel(false);
                o.openTimeout = null;
            }
            upstreams.opened(o, m.from());
        }
        if (m.verb() == Verb.REP) {
            update(o, m, meta);
        }
        if (m.eof() || m.verb() == Verb.ERROR) {
            upstreams.forget(o);
            if (m.verb() == Verb.ERROR) {
                fail(o, m.status(), new String(m.body(), StandardCharsets.UTF_8));
            } else {
                discardAll(o);
            }
        }
    }

    private void update(Observation o, Message m, Meta meta) {
        long now = hub.now();
        o.last = LastValue.of(m, now, meta.ageMs());
        o.lastStale = meta.stale();
        o.updates++;
        hub.metrics().inc("ferry_observations_updates_total");
        if (!meta.stale() && m.status() < 300) {
            hub.cache().put(o.key, o.last);
            if (!o.key.params().isEmpty()) {                 // also the resource's plain last value
                hub.cache().put(o.key.plain(), o.last);
            }
        }
        boolean eof = m.eof();
        List<Subscriber> cut = null;
        for (Subscriber s : o.subscribers.values()) {
            if (s.paused && !eof) {
                s.missed++;
                drop(o, "paused");
                continue;
            }
            if (send(o, s, o.last, meta.cached(), meta.stale(), eof)) {
                s.refusedInARow = 0;
                s.missed = 0;
            } else {
                s.missed++;
                drop(o, "refused");
                if (++s.refusedInARow >= hub.config().maxSkipped()) {
                    (cut == null ? cut = new ArrayList<>() : cut).add(s);
                }
            }
        }
        if (cut != null) {
            for (Subscriber s : cut) {
                drop(o, "cut_off");
                Logger.info("observations: cut off subscriber {} of {}: {} updates in a row refused", s.replyTo,
                        o.key.path(), s.refusedInARow);
                leave(o, s);
                ep.end(s.replyTo, s.stream, 503, "subscriber cannot keep up: " + s.refusedInARow
                        + " updates in a row refused");
            }
        }
    }

    /** Cancels the upstream stream (if known) and forgets the observation. */
    private void close(Observation o) {
        upstreams.close(o);
        discard(o);
    }

    private void discard(Observation o) {
        o.cancelTimers();
        byKey.remove(o.key, o);
    }

    /** Ends every subscriber's stream with an ERROR and forgets the observation. */
    private void fail(Observation o, int status, String reason) {
        for (Subscriber s : List.copyOf(o.subscribers.values())) {
            ep.end(s.replyTo, s.stream, status, reason);
        }
        discardAll(o);
    }

    private void discardAll(Observation o) {
        for (Subscriber s : o.subscribers.values()) {
            byStream.remove(s.stream);
            hub.releaseSubscriber();
        }
        o.subscribers.clear();
        discard(o);
    }

    // ---- the endpoint going down and coming back --------------------------------------------

    /**
     * The endpoint is gone: every upstream stream with it. Subscribers get their last value marked
     * stale (or an empty stale REP) and stay; observations nobody subscribes are forgotten.
     *
     * @return the return paths of the subscribers kept (their router exchanges must stay open)
     */
    synchronized Set<Path> down(String reason) {
        Set<Path> keep = new HashSet<>();
        for (Observation o : List.copyOf(byKey.values())) {
            upstreams.orphan(o);
            o.cancelTimers();
            if (o.subscribers.isEmpty()) {
                discard(o);
                continue;
            }
            o.state = Observation.State.DOWN;
            o.lastStale = true;                              // until the device sends a new value
            for (Subscriber s : o.subscribers.values()) {
                keep.add(s.replyTo);
                hub.metrics().inc("ferry_observations_stale_events_total");
                if (o.last != null) {
                    send(o, s, o.last, true, true, false);
                } else {
                    ep.reply(Message.builder(Verb.REP, s.replyTo, s.stream).eof(false).build(),
                            Meta.of(ep.principal()).withFreshness(-1, true, true));
                }
            }
        }
        if (!keep.isEmpty()) {
            Logger.info("observations: {} down ({}): {} subscribers told their values are stale", ep.id(), reason,
                    keep.size());
        }
        return keep;
    }

    /** The endpoint is back: ask again for every observation that still has subscribers. */
    synchronized void up() {
        upstreams.cancelOrphans();
        for (Observation o : List.copyOf(byKey.values())) {
            if (o.state == Observation.State.DOWN && !o.subscribers.isEmpty()) {
                open(o);
            }
        }
    }

    // ---- sending ----------------------------------------------------------------------------

    private boolean send(Observation o, Subscriber s, LastValue v, boolean cached, boolean stale, boolean eof) {
        Meta meta = Meta.of(ep.principal()).withFreshness(v.ageMs(hub.now()), cached, stale);
        return ep.reply(v.reply(s.replyTo, s.stream, eof), meta);
    }

    private void drop(Observation o, String reason) {
        o.drop(reason);
        hub.metrics().inc("ferry_observations_dropped_total", "reason", reason);
    }

    // ---- the view ---------------------------------------------------------------------------

    /** A consistent snapshot of every observation, for {@code /#runtime/observations}. */
    synchronized List<ObservationsView.Row> rows() {
        long now = hub.now();
        List<ObservationsView.Row> out = new ArrayList<>(byKey.size());
        for (Observation o : byKey.values()) {
            out.add(o.row(ep.id(), ep.mount(), now));
        }
        return out;
    }

    synchronized int size() {
        return byKey.size();
    }
}

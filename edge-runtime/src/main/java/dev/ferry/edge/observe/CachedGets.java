package dev.ferry.edge.observe;

import dev.ferry.edge.route.Meta;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Plain GETs through one {@link SharedEndpoint}:
 *
 * <pre>
 *   endpoint down     → the cached value marked stale (only if the requester accepts stale), else 503
 *   cached, fresh enough for the request's max-age (or the configured default) → answered here
 *   the same GET already on its way → waits for that one's answer (coalesced)
 *   otherwise         → on to the endpoint from the requester's own return path; its answer (a
 *                       REP E1, 2xx) is cached on the way back and answers the waiters too
 * </pre>
 *
 * A GET whose first answer is not a single 2xx REP (an ERROR, a stream) is not shared: its
 * waiters are sent on by themselves. Waiting GETs and waiters are bounded; a GET over the bound is
 * simply not coalesced. Thread-safe; never blocks.
 */
final class CachedGets {
    /** Requests that may wait for one GET's answer. */
    static final int MAX_WAITERS = 64;

    private record Waiter(Message m, Meta meta) { }

    /** One GET on its way to the endpoint, and who else waits for its answer. */
    private static final class Pending {
        final LastValueCache.Key key;
        final Path replyTo;
        final long since;
        final List<Waiter> waiters = new ArrayList<>(2);

        Pending(LastValueCache.Key key, Path replyTo, long since) {
            this.key = key;
            this.replyTo = replyTo;
            this.since = since;
        }
    }

    private final SharedEndpoint ep;
    private final Observations hub;
    private final MaxAgeRules rules;
    private final Map<LastValueCache.Key, Pending> inflight = new HashMap<>();
    private final Map<Path, Pending> byReplyTo = new HashMap<>();
    private volatile boolean waiting;

    CachedGets(SharedEndpoint ep, Observations hub, MaxAgeRules rules) {
        this.ep = ep;
        this.hub = hub;
        this.rules = rules;
    }

    /** A plain GET; the return value is {@link SharedEndpoint#deliver}'s. */
    boolean get(Message m, Meta meta) {
        LastValueCache.Key key = LastValueCache.Key.of(ep.id(), m);
        long now = hub.now();
        LastValue v = hub.cache().get(key);
        if (!ep.innerLive()) {
            if (meta.acceptStale() && v != null) {
                answer(m, v, now, true);
                hub.metrics().inc("ferry_cache_hits_total", "kind", "stale");
                return true;
            }
            return ep.forward(m, meta);                     // 503: down
        }
        long maxAge = meta.maxAgeMs() >= 0 ? meta.maxAgeMs() : rules.forPath(m.to());
        if (v != null && !v.stale() && maxAge > 0 && v.ageMs(now) <= maxAge) {
            answer(m, v, now, false);
            hub.metrics().inc("ferry_cache_hits_total", "kind", "fresh");
            return true;
        }
        hub.metrics().inc("ferry_cache_misses_total");
        synchronized (this) {
            Pending p = inflight.get(key);
            if (p != null && maxAge != 0 && p.waiters.size() < MAX_WAITERS) {   // max-age=0: its own read
                p.waiters.add(new Waiter(m, meta));
                hub.metrics().inc("ferry_cache_coalesced_total");
                return true;
            }
            if (p == null && byReplyTo.size() < hub.maxPendingGets() && !byReplyTo.containsKey(m.from())) {
                p = new Pending(key, m.from(), now);
                inflight.put(key, p);
                byReplyTo.put(m.from(), p);
                waiting = true;
            }
        }
        if (ep.forward(m, meta)) {
            return true;
        }
        Pending p = take(m.from());                          // refused (queue full): the router says 503
        if (p != null) {
            resend(p);
        }
        return false;
    }

    private void answer(Message m, LastValue v, long now, boolean stale) {
        Meta meta = Meta.of(ep.principal()).withFreshness(v.ageMs(now), true, stale);
        ep.reply(v.reply(m.from(), m.to(), true), meta);
    }

    /**
     * A reply from the endpoint on its way to a requester: if it answers a GET we track, cache a
     * single 2xx value and answer that GET's waiters with it; otherwise send the waiters on.
     */
    void snoop(Message m, Meta meta) {
        if (!waiting) {
            return;
        }
        Pending p = take(m.to());
        if (p == null) {
            return;
        }
        if (m.verb() == Verb.REP && m.eof() && m.status() < 300 && !meta.stale()) {
            long now = hub.now();
            LastValue v = LastValue.of(m, now, meta.ageMs());
            hub.cache().put(p.key, v);
            Meta out = Meta.of(ep.principal()).withFreshness(Math.max(0, meta.ageMs()), meta.cached(), false);
            for (Waiter w : p.waiters) {
                ep.reply(v.reply(w.m.from(), m.from(), true), out);
            }
        } else {
            resend(p);
        }
    }

    /** The waiters of a GET whose answer could not be shared go on by themselves. */
    private void resend(Pending p) {
        for (Waiter w : p.waiters) {
            if (!ep.forward(w.m, w.meta)) {
                ep.error(w.m, 503, ep.id() + " queue full");
            }
        }
    }

    private synchronized Pending take(Path replyTo) {
        Pending p = byReplyTo.remove(replyTo);
        if (p != null) {
            inflight.remove(p.key, p);
            waiting = !byReplyTo.isEmpty();
        }
        return p;
    }

    /** The endpoint went down: the router ends the waiting exchanges (503); forget them here. */
    synchronized void down() {
        inflight.clear();
        byReplyTo.clear();
        waiting = false;
    }

    /** Forgets GETs older than the request timeout (the router has answered them 504 by now). */
    synchronized void sweep(long now) {
        long limit = TimeUnit.MILLISECONDS.toNanos(hub.requestTimeoutMs() + 1000);
        for (Iterator<Pending> it = byReplyTo.values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (now - p.since > limit) {
                it.remove();
                inflight.remove(p.key, p);
            }
        }
        waiting = !byReplyTo.isEmpty();
    }

    /** GETs on their way now (for the view and tests). */
    synchronized int pending() {
        return byReplyTo.size();
    }
}

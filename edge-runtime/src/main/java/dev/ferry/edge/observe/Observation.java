package dev.ferry.edge.observe;

import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;

/**
 * One shared observation: the single upstream stream of a (resource, parameters) pair behind one
 * endpoint, and the subscribers it fans out to, in the order they came. Guarded by the owning
 * {@link Subscriptions}' lock.
 *
 * <pre>
 *   IDLE ──open──▶ OPENING ──first REP──▶ OPEN ──last subscriber left + linger──▶ (closed)
 *                     │  ▲                 │
 *                     ▼  └──── up ───── DOWN ◀── device lost / link down (subscribers stay)
 * </pre>
 */
final class Observation {
    /** Where the observation stands with its upstream. */
    enum State { IDLE, OPENING, OPEN, DOWN }

    final LastValueCache.Key key;
    /** The first subscriber's request: what is asked upstream (GET E0 with its parameters). */
    final Message request;
    final Map<Path, Subscriber> subscribers = new LinkedHashMap<>();
    final Map<String, Long> drops = new TreeMap<>();
    State state = State.IDLE;
    /** Our return path for the upstream stream (host namespace), while one is asked or open. */
    Path upstreamFrom;
    /** The upstream stream path (endpoint namespace), once its first REP came. */
    Path upstreamStream;
    boolean upstreamPaused;
    /** The newest value, and whether its source said it was stale (a peer's device is down). */
    LastValue last;
    boolean lastStale;
    long updates;
    long opens;
    ScheduledFuture<?> linger;
    ScheduledFuture<?> openTimeout;

    Observation(LastValueCache.Key key, Message request) {
        this.key = key;
        this.request = request;
    }

    void drop(String reason) {
        drops.merge(reason, 1L, Long::sum);
    }

    boolean allPaused() {
        if (subscribers.isEmpty()) {
            return false;
        }
        for (Subscriber s : subscribers.values()) {
            if (!s.paused) {
                return false;
            }
        }
        return true;
    }

    /** The subscriber whose stream is {@code stream}, or null. */
    Subscriber subscriberOn(Path stream) {
        for (Subscriber s : subscribers.values()) {
            if (s.stream.equals(stream)) {
                return s;
            }
        }
        return null;
    }

    void cancelTimers() {
        if (linger != null) {
            linger.cancel(false);
            linger = null;
        }
        if (openTimeout != null) {
            openTimeout.cancel(false);
            openTimeout = null;
        }
    }

    /** This observation as a row of {@code /#runtime/observations}, at {@code now}. */
    ObservationsView.Row row(String endpoint, Path mount, long now) {
        Map<String, Integer> kinds = new TreeMap<>();
        int paused = 0;
        for (Subscriber s : subscribers.values()) {
            kinds.merge(s.via, 1, Integer::sum);
            paused += s.paused ? 1 : 0;
        }
        return new ObservationsView.Row(endpoint, mount, key.path(), key.params(), state.name(), upstreamStream,
                upstreamPaused, kinds, paused, updates, opens, Map.copyOf(drops), last == null ? -1 : last.ageMs(now),
                lastStale || state == State.DOWN, linger != null);
    }
}

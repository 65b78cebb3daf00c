package dev.ferry.edge.observe;

import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.tinylog.Logger;

/**
 * The upstream side of one endpoint's shared observations: our return paths
 * ({@code <mount>#obs/<n>}), the streams they opened on the MCU (or the peer), and our own
 * control requests to those streams (pause, resume, cancel). Every message here goes straight to
 * the wrapped endpoint, never through the router, so no client can reach these streams. Guarded
 * by the owning {@link Subscriptions}' lock.
 */
final class Upstreams {
    /** Control requests and cancelled streams remembered (their late answers are expected). */
    private static final int MEMORY = 256;

    private final SharedEndpoint ep;
    private final Observations hub;
    private final Map<Path, Observation> byFrom = new HashMap<>();
    private final Map<Path, Observation> byStream = new HashMap<>();
    private final Set<Path> controls = bounded();
    private final Set<Path> cancelled = bounded();
    /** Streams the endpoint may still hold after it went down (a frozen or cut-off MCU keeps them). */
    private final Set<Path> orphans = bounded();
    private long next;

    Upstreams(SharedEndpoint ep, Observations hub) {
        this.ep = ep;
        this.hub = hub;
    }

    private static Set<Path> bounded() {
        return Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
            @Override protected boolean removeEldestEntry(Map.Entry<Path, Boolean> e) {
                return size() > MEMORY;
            }
        });
    }

    /** Asks the endpoint for {@code o}'s stream (GET E0 with its parameters); false if it refused. */
    boolean open(Observation o) {
        Path from = ep.upstreamPath(++next);
        o.upstreamFrom = from;
        o.upstreamStream = null;
        o.upstreamPaused = false;
        o.state = Observation.State.OPENING;
        o.opens++;
        byFrom.put(from, o);
        hub.metrics().inc("ferry_observations_upstream_opens_total");
        Message.Builder b = Message.builder(Verb.GET, o.request.to(), from).eof(false);
        if (o.request.bodyLength() > 0) {
            b.body(o.request.bodyType().orElse(null), o.request.body());
        }
        if (ep.toInner(b.build())) {
            return true;
        }
        byFrom.remove(from);
        return false;
    }

    /** The observation a reply to our return path {@code to} belongs to, or null. */
    Observation byFrom(Path to) {
        return byFrom.get(to);
    }

    /** The first reply named the stream: record it (and pause it if everyone is paused already). */
    void opened(Observation o, Path stream) {
        o.state = Observation.State.OPEN;
        o.upstreamStream = stream;
        byStream.put(stream, o);
        if (o.allPaused()) {
            flow(o, false);
        }
    }

    /** True when {@code to} (or the stream whose #flow it is) is one of our upstream streams. */
    boolean isUpstream(Path to) {
        return !byStream.isEmpty() && byStream.containsKey(Tags.streamOf(to));
    }

    /** Forgets {@code o}'s upstream (ended, or the endpoint went away with it). */
    void forget(Observation o) {
        if (o.upstreamFrom != null) {
            byFrom.remove(o.upstreamFrom, o);
        }
        if (o.upstreamStream != null) {
            byStream.remove(o.upstreamStream, o);
        }
        o.upstreamFrom = null;
        o.upstreamStream = null;
        o.upstreamPaused = false;
    }

    /**
     * The endpoint went down with {@code o}'s stream: forgets it, remembering its path so that
     * {@link #cancelOrphans()} can cancel it when the endpoint is back. A device that was only
     * unreachable (a frozen MCU, a cut cable) still holds the stream; without the cancel each
     * outage would cost one of its few stream slots.
     */
    void orphan(Observation o) {
        if (o.upstreamStream != null) {
            orphans.add(o.upstreamStream);
        }
        forget(o);
    }

    /**
     * The endpoint is back: cancels every orphaned stream, before any new observation is asked
     * for (a new stream may get an orphan's id). An endpoint that no longer has it answers 404,
     * which is expected as a control reply.
     */
    void cancelOrphans() {
        for (Path stream : orphans) {
            cancelled.remove(stream);   // stream ids are reused: an earlier cancel of this path says nothing
            cancel(stream);
            hub.metrics().inc("ferry_observations_orphans_cancelled_total");
        }
        orphans.clear();
    }

    /** Cancels {@code o}'s stream (once its path is known; else when its first reply comes) and forgets it. */
    void close(Observation o) {
        if (o.upstreamStream != null) {
            cancel(o.upstreamStream);
        }
        forget(o);
    }

    /** Pauses ({@code on} false) or resumes the stream; remembered until its path is known. */
    void flow(Observation o, boolean on) {
        o.upstreamPaused = !on;
        if (o.upstreamStream == null) {
            return;
        }
        send(Message.builder(Verb.PUT, Path.of(o.upstreamStream + "#flow"), controlPath())
                .body(BodyType.JSON, (on ? "true" : "false").getBytes(StandardCharsets.US_ASCII)).build());
    }

    /** A reply to a return path of ours that no observation holds: a control reply, or a stream to cancel. */
    void late(Message m) {
        if (controls.remove(m.to())) {
            if (m.verb() == Verb.ERROR) {
                Logger.debug("observations: {} refused a control request: {}", ep.id(), m);
            }
            return;
        }
        hub.metrics().inc("ferry_observations_dropped_total", "reason", "late");
        if (m.verb() == Verb.REP && !m.eof()) {
            cancel(m.from());                                // a stream nobody wants any more
        }
    }

    private void cancel(Path stream) {
        if (cancelled.add(stream)) {
            send(Message.builder(Verb.DELETE, stream, controlPath()).build());
        }
    }

    private void send(Message m) {
        if (!ep.toInner(m)) {
            hub.metrics().inc("ferry_observations_dropped_total", "reason", "control_refused");
        }
    }

    private Path controlPath() {
        Path p = ep.upstreamPath(++next);
        controls.add(p);
        return p;
    }
}

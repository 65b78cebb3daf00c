package dev.ferry.edge.http;

import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.route.Endpoint;
import dev.ferry.edge.route.Meta;
import dev.ferry.edge.route.Principal;
import dev.ferry.edge.route.Router;
import dev.ferry.edge.route.StreamTable;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.tinylog.Logger;

/**
 * The facade's own cancels: when a client goes away or asks, the stream it was reading is ended at
 * its source with {@code DELETE <stream>}, sent once per stream (the last {@value #MEMORY} streams
 * are remembered) on behalf of the principal that owns it. The cancels come from the reserved
 * connection {@code /0/<n>}, which no client ever has ({@link Connections} numbers start at 1), so
 * their replies are recognised, counted and dropped. Thread-safe.
 */
final class StreamCancels {
    private static final long CONNECTION = 0;
    private static final int MEMORY = 256;

    private final Endpoint facade;
    private final Router router;
    private final Metrics metrics;
    private final AtomicLong next = new AtomicLong();
    private final Set<Path> recent = Collections.synchronizedSet(
            Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
                @Override protected boolean removeEldestEntry(Map.Entry<Path, Boolean> e) {
                    return size() > MEMORY;
                }
            }));

    StreamCancels(Endpoint facade, Router router, Metrics metrics) {
        this.facade = facade;
        this.router = router;
        this.metrics = metrics;
    }

    /**
     * Cancels {@code stream} on behalf of its owner as the router recorded it, else {@code who};
     * nothing if it was cancelled recently.
     */
    void cancel(Path stream, Principal who) {
        if (!recent.add(stream)) {
            return;
        }
        StreamTable.Entry e = router.streams().byStream(stream);
        Principal owner = e != null ? e.owner() : who;
        metrics.inc("ferry_http_cancels_total");
        Logger.debug("lan: cancelling stream {} for {}", stream, owner);
        router.send(facade, Message.builder(Verb.DELETE, stream,
                Path.of("/" + CONNECTION + "/" + next.incrementAndGet())).build(), Meta.of(owner));
    }

    /** True, and counted, if {@code m} (delivered to the facade) answers one of these cancels. */
    boolean isReply(Message m) {
        if (Connections.idOf(m.to()) != CONNECTION) {
            return false;
        }
        metrics.inc("ferry_http_cancel_replies_total");
        return true;
    }
}

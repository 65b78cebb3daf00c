package dev.ferry.edge.http;

import dev.ferry.edge.route.Meta;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;

/** What a connection's current handler (HTTP or WebSocket) does with replies; event loop only. */
interface ConnectionSink {
    /**
     * A message the router delivered to {@code /<conn>} + {@code rest}; {@code rest} is the
     * exchange's local path ({@code /<n>} for HTTP, the client's own {@code from} for WebSocket).
     */
    void onMessage(Path rest, Message m);

    /** Like {@link #onMessage(Path, Message)}, with the reply's freshness (null when none came). */
    default void onMessage(Path rest, Message m, Meta meta) {
        onMessage(rest, m);
    }

    /** The facade is closing: end open responses, cancel open streams at their source, close. */
    void shutdown();
}

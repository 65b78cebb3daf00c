package dev.ferry.edge.runtime;

import java.util.Objects;

/**
 * A runtime resource that does something when POSTed to (e.g. {@code peers/<id>/modify}), beside
 * the read-only {@link RuntimeResource}s. The handler runs on the runtime's thread and must not
 * block; what it returns is the reply.
 *
 * @param name    the path below {@code /#runtime}
 * @param schema  the JSON for {@code #schema}
 * @param handler what a POST does with its body
 */
public record RuntimeAction(String name, String schema, Handler handler) {
    /** Handles one POST body. */
    public interface Handler {
        Reply post(byte[] body);
    }

    /**
     * A reply: status 200 with a JSON body, or an error status with a text reason.
     *
     * @param status 200, or an RP error status (400, 404, 503, ...)
     * @param body   JSON for 200, else the reason
     */
    public record Reply(int status, String body) {
        public static Reply ok(String json) {
            return new Reply(200, json);
        }

        public static Reply error(int status, String reason) {
            return new Reply(status, reason);
        }
    }

    public RuntimeAction {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(handler, "handler");
    }
}

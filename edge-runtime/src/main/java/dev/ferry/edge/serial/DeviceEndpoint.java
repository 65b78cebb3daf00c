package dev.ferry.edge.serial;

import dev.ferry.bridge.device.DeviceIdentity;
import dev.ferry.bridge.device.DeviceSession;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.route.Endpoint;
import dev.ferry.edge.route.Router;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import dev.ferry.serial.header.HeaderCodec;
import java.nio.charset.StandardCharsets;

/**
 * An MCU as the router sees it: id {@code device:<name>}, its paths mounted at the configured
 * mount. Delivering queues toward the bus (bounded; false when full or not attached, and the
 * router answers the sender with ERROR 503).
 *
 * <p>A request larger than the MCU can take is answered at once with ERROR 413 instead of being
 * sent: the MCU could not reassemble it and would never answer (the caller waited for a 504).
 * The limit is what the MCU says in its {@code /info} ({@code "msg"}), else its board profile's
 * {@code link.max_message}, else none. Counted as {@code ferry_device_refused_total{reason="too_large"}}.
 */
final class DeviceEndpoint implements Endpoint {
    private final DeviceSession session;
    private final Path mount;
    private final String id;
    private final Router router;
    private final Metrics metrics;
    private final int profileLimit;

    /** @param profileLimit the board profile's largest message, or 0 when there is none */
    DeviceEndpoint(DeviceSession session, Path mount, Router router, Metrics metrics, int profileLimit) {
        this.session = session;
        this.mount = mount;
        this.id = "device:" + session.name();
        this.router = router;
        this.metrics = metrics;
        this.profileLimit = profileLimit;
        metrics.describe("ferry_device_refused_total",
                "Requests answered at once instead of sent to the device, by reason (too_large: over its largest message).");
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Path mount() {
        return mount;
    }

    @Override
    public boolean deliver(Message message) {
        int limit = limit();
        if (limit > 0 && isRequest(message.verb()) && mayExceed(message, limit)) {
            int size = codec().encode(message).length;
            if (size > limit) {
                metrics.inc("ferry_device_refused_total", "device", session.name(), "reason", "too_large");
                router.send(this, Message.builder(Verb.ERROR, message.from(), message.to()).status(413)
                        .body(BodyType.TEXT, ("request of " + size + " bytes (header included) is larger than "
                                + session.name() + " takes: " + limit + " bytes").getBytes(StandardCharsets.UTF_8))
                        .build());
                return true;
            }
        }
        return session.offer(message);
    }

    /** The header codec of the link's negotiated version (the text header until the link is up). */
    private HeaderCodec codec() {
        int major = session.negotiated().map(p -> p.version() >> 4).orElse(1);
        return HeaderCodec.forVersion(major == 2 ? 2 : 1, HeaderCodec.DEFAULT_MAX_HEADER, session.resourceTable());
    }

    /** The largest message the MCU takes, 0 when unknown. */
    int limit() {
        int said = session.identity().map(DeviceIdentity::maxMessage).orElse(-1);
        return said > 0 ? said : profileLimit;
    }

    /** False when even a generous header cannot take {@code m} over {@code limit} (no encoding needed). */
    private static boolean mayExceed(Message m, int limit) {
        int typeLength = m.bodyType().map(t -> t.token().length()).orElse(0);
        return (long) m.bodyLength() + m.to().toString().length() + m.from().toString().length() + typeLength + 48
                > limit;
    }

    private static boolean isRequest(Verb v) {
        return v != Verb.REP && v != Verb.ERROR;
    }

    @Override
    public boolean live() {
        return session.live();
    }

    DeviceSession session() {
        return session;
    }
}

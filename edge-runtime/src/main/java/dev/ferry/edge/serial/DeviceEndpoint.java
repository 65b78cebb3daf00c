package dev.ferry.edge.serial;

import dev.ferry.bridge.device.DeviceSession;
import dev.ferry.edge.route.Endpoint;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;

/**
 * An MCU as the router sees it: id {@code device:<name>}, its paths mounted at the configured
 * mount. Delivering queues toward the bus (bounded; false when full or not attached, and the
 * router answers the sender with ERROR 503).
 */
final class DeviceEndpoint implements Endpoint {
    private final DeviceSession session;
    private final Path mount;
    private final String id;

    DeviceEndpoint(DeviceSession session, Path mount) {
        this.session = session;
        this.mount = mount;
        this.id = "device:" + session.name();
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
        return session.offer(message);
    }

    @Override
    public boolean live() {
        return session.live();
    }

    DeviceSession session() {
        return session;
    }
}

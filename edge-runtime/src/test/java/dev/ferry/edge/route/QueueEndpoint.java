package dev.ferry.edge.route;

import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/** An in-memory endpoint for router tests: a bounded queue that can be switched off. */
final class QueueEndpoint implements Endpoint {
    final Deque<Message> inbox = new ArrayDeque<>();
    private final String id;
    private final Path mount;
    private final int capacity;
    boolean live = true;

    QueueEndpoint(String id, String mount, int capacity) {
        this.id = id;
        this.mount = Path.of(mount);
        this.capacity = capacity;
    }

    @Override public String id() {
        return id;
    }

    @Override public Path mount() {
        return mount;
    }

    @Override public synchronized boolean deliver(Message m) {
        if (!live || inbox.size() >= capacity) {
            return false;
        }
        return inbox.add(m);
    }

    @Override public boolean live() {
        return live;
    }

    synchronized Message take() {
        return inbox.poll();
    }
}

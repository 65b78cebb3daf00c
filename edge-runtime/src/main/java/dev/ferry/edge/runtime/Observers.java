package dev.ferry.edge.runtime;

import dev.ferry.rp.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The bounded set of open observation streams of the runtime's resources (runtime thread only). */
final class Observers {
    /** One observation stream: where readings go and the stream path that sends them. */
    static final class Observer {
        private final String resource;
        private final long id;
        private final Path replyTo;
        private final Path stream;
        private boolean paused;

        Observer(String resource, long id, Path replyTo) {
            this.resource = resource;
            this.id = id;
            this.replyTo = replyTo;
            this.stream = Path.of("/#runtime/" + resource + "#streams/" + id);
        }

        Path replyTo() {
            return replyTo;
        }

        Path stream() {
            return stream;
        }

        boolean paused() {
            return paused;
        }

        void paused(boolean p) {
            paused = p;
        }
    }

    private final Map<String, Observer> byKey = new LinkedHashMap<>();
    private final int capacity;
    private long nextId = 1;

    Observers(int capacity) {
        this.capacity = capacity;
    }

    /** A new observer, or null when the bound is reached. */
    Observer add(String resource, Path replyTo) {
        if (byKey.size() >= capacity) {
            return null;
        }
        Observer o = new Observer(resource, nextId++, replyTo);
        byKey.put(key(resource, o.id), o);
        return o;
    }

    Observer get(String resource, long id) {
        return byKey.get(key(resource, id));
    }

    void remove(Observer o) {
        byKey.remove(key(o.resource, o.id));
    }

    void removeByReplyTo(Path replyTo) {
        byKey.values().removeIf(o -> o.replyTo.equals(replyTo));
    }

    List<Observer> of(String resource) {
        List<Observer> out = new ArrayList<>();
        for (Observer o : byKey.values()) {
            if (o.resource.equals(resource)) {
                out.add(o);
            }
        }
        return out;
    }

    List<Observer> all() {
        return new ArrayList<>(byKey.values());
    }

    private static String key(String resource, long id) {
        return resource + "#" + id;
    }
}

package dev.ferry.edge.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ferry.edge.route.Endpoint;
import dev.ferry.edge.route.Route;
import dev.ferry.edge.route.Router;
import dev.ferry.rp.Decoded;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.tinylog.Logger;

/**
 * What the attached devices serve: when a device attaches, the catalog asks it, through the
 * router like any client, for its resource list ({@code GET <mount>/}) and each resource's
 * {@code #schema}, and keeps the answers until the device detaches. The OpenAPI description of
 * the gateway ({@code /#runtime/openapi.json}) is built from it.
 *
 * <p>An endpoint with id {@code catalog} (a runtime principal) whose return paths live under
 * {@link #MOUNT}. Bounded: at most {@value #MAX_RESOURCES} resources per device, schemas of at
 * most {@value #MAX_SCHEMA} bytes, {@value #MAX_PENDING} requests in flight; a device that does not
 * answer in time (the router's 504) keeps what it did answer. Thread-safe; never blocks.
 */
public final class DeviceCatalog implements Endpoint {
    /** Where the catalog's return paths live. */
    public static final Path MOUNT = Path.of("/#catalog");
    static final int MAX_RESOURCES = 64;
    static final int MAX_SCHEMA = 2048;
    static final int MAX_PENDING = 256;

    /** One resource of a device: its path on the device and its {@code #schema} (null when unknown). */
    public record Resource(String path, String schema) { }

    /** One attached device as catalogued: {@code complete} once every schema was asked. */
    public record Device(String name, Path mount, String board, String fw, List<Resource> resources,
                         boolean complete) { }

    private static final JsonFactory JSON = new JsonFactory();

    private final Map<String, Entry> devices = new TreeMap<>();
    private final Map<Path, Consumer<Message>> pending = new HashMap<>();
    private final Runnable changed;
    private volatile Router router;
    private long next;

    private static final class Entry {
        final String name;
        final Path mount;
        final String board;
        final String fw;
        final long generation;
        final Map<String, String> schemas = new LinkedHashMap<>();
        int awaiting;

        Entry(String name, Path mount, String board, String fw, long generation) {
            this.name = name;
            this.mount = mount;
            this.board = board;
            this.fw = fw;
            this.generation = generation;
        }
    }

    /** @param changed called (outside the lock) whenever what is known changed */
    public DeviceCatalog(Runnable changed) {
        this.changed = changed;
    }

    /** The route that brings replies back: {@link #MOUNT} on {@code catalog}. */
    public static Route route() {
        return Route.mount(MOUNT, "catalog");
    }

    /** Attaches to {@code r} (whose table must contain {@link #route()}). */
    public void start(Router r) {
        r.attach(this);
        this.router = r;
    }

    @Override
    public String id() {
        return "catalog";
    }

    @Override
    public Path mount() {
        return MOUNT;
    }

    /** A device attached: (re)reads its resources and their schemas. */
    public void attached(String name, Path mount, String board, String fw) {
        Entry e;
        synchronized (this) {
            e = new Entry(name, mount, board, fw, ++next);
            devices.put(name, e);
            e.awaiting = 1;
        }
        ask(e, mount, m -> onList(e, m));                   // the mount is the device's "/"
        changed.run();
    }

    /** A device detached: it leaves the catalog. */
    public void detached(String name) {
        boolean removed;
        synchronized (this) {
            removed = devices.remove(name) != null;
        }
        if (removed) {
            changed.run();
        }
    }

    /** The devices known now, by name. */
    public synchronized List<Device> devices() {
        List<Device> out = new ArrayList<>();
        for (Entry e : devices.values()) {
            List<Resource> rs = new ArrayList<>();
            e.schemas.forEach((p, s) -> rs.add(new Resource(p, s)));
            out.add(new Device(e.name, e.mount, e.board, e.fw, List.copyOf(rs), e.awaiting == 0));
        }
        return out;
    }

    private void onList(Entry e, Message m) {
        List<String> paths = m.verb() == Verb.REP ? paths(m.body()) : List.of();
        if (m.verb() != Verb.REP) {
            Logger.debug("catalog: {} did not list its resources: {} {}", e.name, m.status(),
                    new String(m.body(), StandardCharsets.UTF_8));
        }
        synchronized (this) {
            if (devices.get(e.name) != e) {
                return;                                      // detached or attached again meanwhile
            }
            e.awaiting = paths.size();
            for (String p : paths) {
                e.schemas.put(p, null);
            }
        }
        String base = e.mount.toString().equals("/") ? "" : e.mount.toString();
        for (String p : paths) {
            Decoded<Path> schema = Path.parse(base + p + "#schema");
            if (schema.isOk()) {
                ask(e, schema.value(), r -> onSchema(e, p, r));
            } else {
                synchronized (this) {
                    e.awaiting--;                            // too long under this mount: left out
                }
            }
        }
        changed.run();
    }

    private void onSchema(Entry e, String path, Message m) {
        String schema = m.verb() == Verb.REP && m.bodyLength() <= MAX_SCHEMA
                ? new String(m.body(), StandardCharsets.UTF_8) : null;
        synchronized (this) {
            if (devices.get(e.name) != e) {
                return;
            }
            e.schemas.put(path, schema);
            e.awaiting--;
        }
        changed.run();
    }

    /** The resource paths of a {@code GET /} reply: RP paths without {@code #}, at most MAX_RESOURCES. */
    static List<String> paths(byte[] body) {
        List<String> out = new ArrayList<>();
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                return out;
            }
            for (JsonToken t = p.nextToken(); t != null && t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t != JsonToken.VALUE_STRING) {
                    p.skipChildren();
                    continue;
                }
                String s = p.getText();
                Decoded<Path> d = Path.parse(s);
                if (d.isOk() && !s.contains("#") && !s.equals("/") && out.size() < MAX_RESOURCES && !out.contains(s)) {
                    out.add(s);
                }
            }
        } catch (IOException ex) {
            Logger.debug("catalog: unreadable resource list: {}", ex.getMessage());
        }
        return out;
    }

    private void ask(Entry e, Path to, Consumer<Message> onReply) {
        Router r = router;
        Path from;
        synchronized (this) {
            if (r == null || pending.size() >= MAX_PENDING) {
                e.awaiting = Math.max(0, e.awaiting - 1);
                return;
            }
            from = Path.of("/" + (++next));
            pending.put(from, onReply);
        }
        r.send(this, Message.builder(Verb.GET, to, from).build());
    }

    @Override
    public boolean deliver(Message m) {
        if (m.verb() != Verb.REP && m.verb() != Verb.ERROR) {
            return false;                                    // the catalog serves nothing
        }
        Consumer<Message> c;
        synchronized (this) {
            c = pending.remove(m.to());
        }
        if (c != null) {
            c.accept(m);
        }
        if (m.verb() == Verb.REP && !m.eof() && router != null) {
            router.send(this, Message.builder(Verb.DELETE, m.from(), Path.of("/cancel")).build());
        }
        return true;
    }
}

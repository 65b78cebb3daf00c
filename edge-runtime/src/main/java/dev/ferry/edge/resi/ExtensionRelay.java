package dev.ferry.edge.resi;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.ferry.edge.proto.resi.Extension;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The gateway's part in the seed's Modify extensions: an extension a peer sends that this gateway
 * does not know, marked {@code pass = true}, "is passed to other ESI servers". A request is
 * passed on to every other peer of this gateway, once: each request is named by its origin
 * (gateway id) and the origin's number for it, and a name seen before (the last
 * {@value #SEEN} are remembered) is not passed on again; a request that already went through
 * {@value #MAX_HOPS} relays is not passed on either (the bound for what the seen-set forgot). So
 * in a triangle each gateway hands a request on once and it stops. Responses are shown, not
 * passed on. Each peer's last {@value #KEPT} received extensions are kept for
 * {@code /#runtime/peers/<id>/extensions} (data shown up to {@value #DATA_SHOWN} bytes); every
 * new one is announced through {@code changed} (the runtime's observers). Users send their own
 * through {@link #send}. Thread-safe; links are called outside this object's lock.
 */
public final class ExtensionRelay {
    /** Relays a request may pass through. */
    public static final int MAX_HOPS = 8;
    static final int SEEN = 4096;
    static final int KEPT = 64;
    static final int DATA_SHOWN = 1024;

    /** One extension received from a peer, and what became of it. */
    record Received(Instant at, PassedExtension x, List<String> forwardedTo, List<String> notForwardedTo,
                    String note) { }

    private final String localNode;
    private final Consumer<String> changed;
    private final Map<String, PeerLink> links = new LinkedHashMap<>();
    private final Map<String, Deque<Received>> received = new HashMap<>();
    private final LinkedHashMap<String, Boolean> seen = new LinkedHashMap<>(SEEN, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > SEEN;
        }
    };
    private long nextSeq = new SecureRandom().nextInt() & 0x7FFF_FFFFL;

    /**
     * @param localNode this gateway's node id (the origin of what {@link #send} sends)
     * @param changed   told the runtime resource name ({@code peers/<id>/extensions}) that changed
     */
    public ExtensionRelay(String localNode, Consumer<String> changed) {
        this.localNode = Objects.requireNonNull(localNode, "localNode");
        this.changed = Objects.requireNonNull(changed, "changed");
    }

    /** Adds a peer link: extensions from the others are passed on to it. */
    public synchronized void add(PeerLink link) {
        links.put(link.config().id(), link);
        received.put(link.config().id(), new ArrayDeque<>());
    }

    /** This gateway's node id: the origin of what {@link #send} sends. */
    public String localNode() {
        return localNode;
    }

    /** The link to peer {@code id}, or null. */
    public synchronized PeerLink link(String id) {
        return links.get(id);
    }

    /**
     * Sends a Modify request carrying {@code ext} from this gateway to {@code to}.
     *
     * @return the number this gateway gave it (its origin is {@link #localNode}), or -1 when the
     *     link refused it (down, or its resend buffer full)
     */
    public long send(PeerLink to, Extension ext) {
        long seq;
        synchronized (this) {
            seq = nextSeq++;
            seen.put(key(localNode, seq), Boolean.TRUE);
        }
        return to.modify(ext, localNode, seq, 0) ? seq : -1;
    }

    /** From {@code from}'s listener: an unknown extension with pass = true arrived. */
    void received(PeerLink from, PassedExtension x) {
        List<PeerLink> targets = new ArrayList<>();
        String note = null;
        synchronized (this) {
            if (x.request()) {
                if (seen.put(key(x.origin(), x.originSeq()), Boolean.TRUE) != null) {
                    from.metrics().extension(LinkMetrics.Ext.LOOPED);
                    return; // came round a loop, or twice over redundant paths: handled already
                }
                if (x.hops() >= MAX_HOPS) {
                    note = "hop limit reached, not passed on";
                    from.metrics().extension(LinkMetrics.Ext.HOP_LIMIT);
                } else {
                    for (PeerLink l : links.values()) {
                        if (l != from) {
                            targets.add(l);
                        }
                    }
                }
            } else {
                note = "response, not passed on";
            }
        }
        List<String> sent = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (PeerLink l : targets) {
            if (l.modify(x.ext(), x.origin(), x.originSeq(), x.hops() + 1)) {
                sent.add(l.config().id());
                from.metrics().extension(LinkMetrics.Ext.FORWARDED);
            } else {
                refused.add(l.config().id());
                from.metrics().extension(LinkMetrics.Ext.NOT_FORWARDED);
            }
        }
        String id = from.config().id();
        synchronized (this) {
            Deque<Received> q = received.computeIfAbsent(id, k -> new ArrayDeque<>());
            if (q.size() >= KEPT) {
                q.removeFirst();
            }
            q.addLast(new Received(Instant.now(), x, List.copyOf(sent), List.copyOf(refused), note));
        }
        changed.accept(resourceName(id));
    }

    /** The runtime resource showing what {@code peerId} sent: {@code peers/<id>/extensions}. */
    public static String resourceName(String peerId) {
        return "peers/" + peerId + "/extensions";
    }

    /** Writes what {@code link}'s peer sent, oldest first, with the link's counts, as one JSON object. */
    public void write(PeerLink link, JsonGenerator g) throws IOException {
        List<Received> list;
        synchronized (this) {
            list = new ArrayList<>(received.getOrDefault(link.config().id(), new ArrayDeque<>()));
        }
        LinkHealth h = link.health();
        g.writeStartObject();
        g.writeStringField("peer", link.config().id());
        g.writeNumberField("passed", h.extensionsPassed());
        g.writeNumberField("dropped", h.extensionsDropped());
        g.writeArrayFieldStart("received");
        for (Received r : list) {
            Extension e = r.x().ext();
            g.writeStartObject();
            g.writeStringField("at", r.at().toString());
            g.writeNumberField("id", Integer.toUnsignedLong(e.getId()));
            g.writeBooleanField("pass", e.getPass());
            g.writeStringField("kind", r.x().request() ? "request" : "response");
            g.writeStringField("origin", r.x().origin());
            g.writeNumberField("originSeq", r.x().originSeq());
            g.writeNumberField("hops", r.x().hops());
            g.writeNumberField("bytes", e.getData().size());
            byte[] shown = e.getData().substring(0, Math.min(DATA_SHOWN, e.getData().size())).toByteArray();
            g.writeStringField("data", Base64.getEncoder().encodeToString(shown));
            strings(g, "forwardedTo", r.forwardedTo());
            strings(g, "notForwardedTo", r.notForwardedTo());
            if (r.note() != null) {
                g.writeStringField("note", r.note());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    private static String key(String origin, long seq) {
        return origin + "#" + seq;
    }
}

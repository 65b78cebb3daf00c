package dev.ferry.edge.rendezvous;

import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.metrics.RemoteLog;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The rendezvous state: registrations by namespace, who owns each, and who is in rendezvous on
 * which namespace. Transport-free: a network connection or an in-process registrar opens a
 * {@link Session} over a {@link SessionSink} and acts through it; what it refuses is a
 * {@link Refusal}. Thread-safe (one lock); announcements are handed to sinks under the lock, so
 * every sink sees changes in the order they happened.
 *
 * <p>Semantics (RENDEZVOUS.md): a registration is keyed by (namespace, peer id) and persists until
 * its owner unregisters it or its session closes. Announcements go to every session in rendezvous
 * on the namespace except the registration's owner. Entering rendezvous sends the current
 * registrations of the namespace other than the session's own, as one REGISTER message (nothing
 * when there are none). Discovery returns all registrations, the session's own included.
 */
public final class RendezvousRegistry {
    private static final class Entry {
        Registration reg;
        Session owner;

        Entry(Registration reg, Session owner) {
            this.reg = reg;
            this.owner = owner;
        }
    }

    private static final class Namespace {
        final LinkedHashMap<String, Entry> regs = new LinkedHashMap<>();
        final LinkedHashSet<Session> subscribers = new LinkedHashSet<>();
    }

    private final Object lock = new Object();
    private final Map<String, Namespace> namespaces = new HashMap<>();
    private final Set<Session> sessions = new LinkedHashSet<>();
    private final List<RendezvousListener> listeners = new CopyOnWriteArrayList<>();
    private final Deque<Session> toCut = new ArrayDeque<>();
    private final RendezvousLimits limits;
    private final Metrics metrics;
    private int registrations;

    public RendezvousRegistry(RendezvousLimits limits, Metrics metrics) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        metrics.describe("ferry_rendezvous_registrations", "Device registrations held now.");
        metrics.describe("ferry_rendezvous_sessions", "Rendezvous sessions (peers) held now.");
        metrics.describe("ferry_rendezvous_registered_total", "Registrations accepted.");
        metrics.describe("ferry_rendezvous_unregistered_total", "Registrations removed (unregistered, expired or cut).");
        metrics.describe("ferry_rendezvous_refused_total", "Registrations, subscriptions and connections refused, by reason.");
        metrics.describe("ferry_rendezvous_sent_total", "Messages queued to rendezvous subscribers.");
        metrics.describe("ferry_rendezvous_cut_total", "Subscribers cut off, by reason.");
        metrics.describe("ferry_rendezvous_connections", "Open rendezvous connections.");
        metrics.describe("ferry_rendezvous_connections_total", "Rendezvous connections accepted.");
        metrics.describe("ferry_rendezvous_received_total", "Rendezvous messages received, by type.");
        metrics.describe("ferry_rendezvous_malformed_total", "Rendezvous messages refused as malformed, by reason.");
        metrics.describe("ferry_rendezvous_connection_errors_total", "Rendezvous connections that failed.");
        metrics.gauge("ferry_rendezvous_registrations", this::size);
        metrics.gauge("ferry_rendezvous_sessions", () -> {
            synchronized (lock) {
                return sessions.size();
            }
        });
    }

    public RendezvousLimits limits() {
        return limits;
    }

    /** Adds a listener of every change. */
    public void addListener(RendezvousListener l) {
        listeners.add(Objects.requireNonNull(l, "listener"));
    }

    /**
     * Opens a session. A {@code local} session (the gateway's own devices, bounded by its config) is
     * exempt from {@link RendezvousLimits#namespacesPerPeer}; every other bound applies.
     */
    public Session open(SessionSink sink, boolean local) {
        Session s = new Session(Objects.requireNonNull(sink, "sink"), local);
        synchronized (lock) {
            sessions.add(s);
        }
        return s;
    }

    /** The registrations of {@code ns} in registration order (empty if none). */
    public List<Registration> registrations(String ns) {
        synchronized (lock) {
            Namespace n = namespaces.get(ns);
            List<Registration> out = new ArrayList<>();
            if (n != null) {
                n.regs.values().forEach(e -> out.add(e.reg));
            }
            return out;
        }
    }

    /** Every namespace that has registrations, sorted, with its registrations. */
    public Map<String, List<Registration>> snapshot() {
        synchronized (lock) {
            Map<String, List<Registration>> out = new TreeMap<>();
            namespaces.forEach((name, n) -> {
                if (!n.regs.isEmpty()) {
                    List<Registration> l = new ArrayList<>();
                    n.regs.values().forEach(e -> l.add(e.reg));
                    out.put(name, l);
                }
            });
            return out;
        }
    }

    /** Number of registrations in all namespaces. */
    public long size() {
        synchronized (lock) {
            return registrations;
        }
    }

    /** One peer's view of the registry; closing it removes its registrations and subscriptions. */
    public final class Session implements AutoCloseable {
        private final SessionSink sink;
        private final boolean local;
        private final Map<String, Integer> registeredIn = new HashMap<>();
        private final Set<String> subscribed = new LinkedHashSet<>();
        private boolean closed;

        private Session(SessionSink sink, boolean local) {
            this.sink = sink;
            this.local = local;
        }

        /**
         * Registers (or re-registers) {@code r}, announcing it to the namespace's subscribers. A peer
         * id held by another session is taken over (the newest registration wins).
         *
         * @return null on success, else why it was refused (counted)
         */
        public Refusal register(Registration r) {
            synchronized (lock) {
                Refusal why = doRegister(r);
                if (why != null) {
                    metrics.inc("ferry_rendezvous_refused_total", "reason", why.label());
                }
                cutPending();
                return why;
            }
        }

        private Refusal doRegister(Registration r) {
            if (closed) {
                return Refusal.CLOSED;
            }
            Namespace n = namespaces.get(r.ns());
            Entry e = n == null ? null : n.regs.get(r.id());
            if (e == null && n != null && n.regs.size() >= limits.registrationsPerNamespace()) {
                return Refusal.REGISTRATIONS_PER_NAMESPACE;
            }
            boolean mine = e != null && e.owner == this;
            if (!mine && !local && !registeredIn.containsKey(r.ns())
                    && registeredIn.size() >= limits.namespacesPerPeer()) {
                return Refusal.NAMESPACES_PER_PEER;
            }
            if (mine && e.reg.addrs().equals(r.addrs())) {
                return null;                         // idempotent (e.g. a client re-registering)
            }
            if (n == null) {
                n = new Namespace();
                namespaces.put(r.ns(), n);
            }
            if (e == null) {
                n.regs.put(r.id(), new Entry(r, this));
                registrations++;
            } else {
                if (!mine) {
                    e.owner.forget(r.ns());
                }
                e.reg = r;
                e.owner = this;
            }
            if (!mine) {
                registeredIn.merge(r.ns(), 1, Integer::sum);
            }
            metrics.inc("ferry_rendezvous_registered_total");
            announce(n, this, RendezvousMessage.register(List.of(r)));
            listeners.forEach(l -> l.registered(r));
            return null;
        }

        /** Removes this session's registration of {@code id} in {@code ns} and announces it. */
        public Refusal unregister(String ns, String id) {
            synchronized (lock) {
                Namespace n = namespaces.get(ns);
                Entry e = n == null ? null : n.regs.get(id);
                if (closed || e == null || e.owner != this) {
                    metrics.inc("ferry_rendezvous_refused_total", "reason", "not_owner");
                    return closed ? Refusal.CLOSED : Refusal.NOT_OWNER;
                }
                remove(n, ns, id);
                cutPending();
                return null;
            }
        }

        /**
         * Enters rendezvous on {@code ns}: sends the namespace's current registrations (other than
         * this session's) as one REGISTER message if there are any, then every later change.
         */
        public Refusal enter(String ns) {
            synchronized (lock) {
                if (closed) {
                    return Refusal.CLOSED;
                }
                if (!subscribed.contains(ns) && subscribed.size() >= limits.namespacesPerPeer()) {
                    metrics.inc("ferry_rendezvous_refused_total", "reason", "subscriptions_per_peer");
                    return Refusal.SUBSCRIPTIONS_PER_PEER;
                }
                subscribed.add(ns);
                Namespace n = namespaces.computeIfAbsent(ns, k -> new Namespace());
                n.subscribers.add(this);
                List<Registration> others = new ArrayList<>();
                n.regs.values().forEach(e -> {
                    if (e.owner != this) {
                        others.add(e.reg);
                    }
                });
                if (!others.isEmpty()) {
                    deliver(this, RendezvousMessage.register(others), null);
                }
                cutPending();
                return null;
            }
        }

        /** All registrations of {@code ns}, this session's own included. */
        public List<Registration> discover(String ns) {
            return registrations(ns);
        }

        /** Answers DISCOVER{ns}: one REGISTER message with every registration of {@code ns} (maybe none). */
        public void answerDiscover(String ns) {
            synchronized (lock) {
                if (!closed) {
                    deliver(this, RendezvousMessage.register(registrations(ns)), null);
                    cutPending();
                }
            }
        }

        /** Sends {@code m} to this session's peer (e.g. a refusal), in order with announcements. */
        public void reply(RendezvousMessage m) {
            synchronized (lock) {
                if (!closed) {
                    deliver(this, m, null);
                    cutPending();
                }
            }
        }

        /** Unregisters everything this session owns (announcing each) and leaves rendezvous. Idempotent. */
        @Override
        public void close() {
            synchronized (lock) {
                closeLocked();
                cutPending();
            }
        }

        private void closeLocked() {
            if (closed) {
                return;
            }
            closed = true;
            sessions.remove(this);
            for (String ns : subscribed) {
                Namespace n = namespaces.get(ns);
                if (n != null) {
                    n.subscribers.remove(this);
                    dropIfEmpty(ns, n);
                }
            }
            subscribed.clear();
            for (String ns : new ArrayList<>(registeredIn.keySet())) {
                Namespace n = namespaces.get(ns);
                if (n == null) {
                    continue;
                }
                List<String> ids = new ArrayList<>();
                n.regs.forEach((id, e) -> {
                    if (e.owner == this) {
                        ids.add(id);
                    }
                });
                ids.forEach(id -> remove(n, ns, id));
            }
            registeredIn.clear();
        }

        private void forget(String ns) {
            registeredIn.computeIfPresent(ns, (k, v) -> v <= 1 ? null : v - 1);
        }

        @Override
        public String toString() {
            return sink.label();
        }
    }

    private void remove(Namespace n, String ns, String id) {
        Entry e = n.regs.remove(id);
        registrations--;
        e.owner.forget(ns);
        metrics.inc("ferry_rendezvous_unregistered_total");
        announce(n, e.owner, RendezvousMessage.unregister(ns, id));
        listeners.forEach(l -> l.unregistered(ns, id));
        dropIfEmpty(ns, n);
    }

    private void dropIfEmpty(String ns, Namespace n) {
        if (n.regs.isEmpty() && n.subscribers.isEmpty()) {
            namespaces.remove(ns);
        }
    }

    /** Sends {@code m} to every subscriber of {@code n} except {@code except}; framed once. */
    private void announce(Namespace n, Session except, RendezvousMessage m) {
        byte[] wire = null;
        for (Session s : n.subscribers) {
            if (s != except) {
                wire = wire != null ? wire : RendezvousWire.frame(m);
                deliver(s, m, wire);
            }
        }
    }

    private void deliver(Session s, RendezvousMessage m, byte[] wire) {
        if (s.closed) {
            return;
        }
        if (s.sink.send(m, wire != null ? wire : RendezvousWire.frame(m))) {
            metrics.inc("ferry_rendezvous_sent_total");
        } else if (!toCut.contains(s)) {
            toCut.add(s);
        }
    }

    /** Closes sessions whose queue overflowed; their own unregistrations may overflow others. */
    private void cutPending() {
        Session s;
        while ((s = toCut.poll()) != null) {
            if (s.closed) {
                continue;
            }
            metrics.inc("ferry_rendezvous_cut_total", "reason", "subscriber_queue_full");
            RemoteLog.warn("rendezvous:cut", "rendezvous: cutting off {}: its announcement queue ({}) is full",
                    s.sink.label(), limits.subscriberQueue());
            s.closeLocked();
            s.sink.cutOff("subscriber_queue_full");
        }
    }
}

package dev.ferry.edge.rendezvous;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tinylog.Logger;

/**
 * Announces the gateway's attached MCUs: each device is registered with id
 * {@code <node id>/<device name>} and one address, the UTF-8 URL {@code <http base><mount>} (e.g.
 * {@code http://127.0.0.1:8080/dev0}), in its configured namespaces plus its board name, through
 * every given {@link Registrar} (the in-process service and/or a {@code register_to} client).
 * Calls are synchronous: with a {@link LocalRegistrar}, announcements have been handed to the
 * subscribers' connections when the call returns. Thread-safe.
 */
public final class DevicePresence {
    private final String nodeId;
    private final String httpBase;
    private final List<Registrar> registrars;
    private final RendezvousLimits limits;
    private final Map<String, List<Registration>> attached = new LinkedHashMap<>();

    /**
     * @param nodeId     {@code config.node().id()}
     * @param httpBase   the gateway's HTTP address as clients reach it, e.g. {@code http://192.168.1.5:8080}
     * @param registrars where to register
     */
    public DevicePresence(String nodeId, String httpBase, List<Registrar> registrars) {
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.httpBase = stripSlash(Objects.requireNonNull(httpBase, "httpBase"));
        this.registrars = List.copyOf(registrars);
        this.limits = RendezvousLimits.defaults();
    }

    /**
     * Registers device {@code name} (mounted at {@code mount}, e.g. {@code /dev0}) in
     * {@code namespaces} and in {@code board} when given. Attaching an attached device replaces its
     * registrations. Namespaces or ids past the length bounds are skipped with a warning.
     *
     * @return the registrations made (each through every registrar)
     */
    public synchronized List<Registration> deviceAttached(String name, String mount, String board,
            List<String> namespaces) {
        deviceDetached(name);
        String id = nodeId + "/" + name;
        if (RendezvousWire.utf8Length(id) > limits.maxIdBytes()) {
            Logger.warn("rendezvous: device id {} is longer than {} bytes; not announced", id, limits.maxIdBytes());
            return List.of();
        }
        String url = httpBase + (mount.startsWith("/") ? mount : "/" + mount);
        Set<String> all = new LinkedHashSet<>(namespaces);
        if (board != null && !board.isBlank()) {
            all.add(board);
        }
        List<Registration> made = new ArrayList<>();
        for (String ns : all) {
            if (ns.isEmpty() || RendezvousWire.utf8Length(ns) > limits.maxNamespaceBytes()) {
                Logger.warn("rendezvous: namespace '{}' of device {} is empty or too long; skipped", ns, name);
                continue;
            }
            Registration r = Registration.of(ns, id, url);
            for (Registrar reg : registrars) {
                if (!reg.register(r)) {
                    Logger.warn("rendezvous: registration of {} in {} refused", id, ns);
                }
            }
            made.add(r);
        }
        attached.put(name, made);
        return made;
    }

    /** Unregisters device {@code name} everywhere; nothing happens if it is not attached. */
    public synchronized void deviceDetached(String name) {
        List<Registration> regs = attached.remove(name);
        if (regs == null) {
            return;
        }
        for (Registration r : regs) {
            for (Registrar reg : registrars) {
                reg.unregister(r.ns(), r.id());
            }
        }
    }

    /** Names of the devices currently announced. */
    public synchronized Set<String> attached() {
        return new LinkedHashSet<>(attached.keySet());
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}

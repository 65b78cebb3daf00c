package dev.ferry.edge.app;

import dev.ferry.bridge.device.DeviceSession;
import dev.ferry.bridge.device.DeviceState;
import dev.ferry.edge.config.DeviceConfig;
import dev.ferry.edge.config.FerryConfig;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.rendezvous.DevicePresence;
import dev.ferry.edge.rendezvous.LocalRegistrar;
import dev.ferry.edge.rendezvous.Registrar;
import dev.ferry.edge.rendezvous.RendezvousClient;
import dev.ferry.edge.rendezvous.RendezvousListener;
import dev.ferry.edge.rendezvous.RendezvousRuntime;
import dev.ferry.edge.rendezvous.RendezvousService;
import dev.ferry.edge.runtime.RuntimeResource;
import dev.ferry.edge.runtime.RuntimeResources;
import dev.ferry.edge.serial.SerialLines;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.tinylog.Logger;

/**
 * Device presence by namespace: the rendezvous service (when enabled), a registration of every
 * attached MCU in it (and in another gateway's service named by {@code register_to}), and the
 * runtime resources {@code /#runtime/rendezvous} and {@code /#runtime/rendezvous/<ns>}.
 */
final class PresenceAssembly implements AutoCloseable, SerialLines.Lifecycle {
    private final FerryConfig cfg;
    private RendezvousService service;
    private LocalRegistrar local;
    private RendezvousClient remote;
    private DevicePresence presence;

    PresenceAssembly(FerryConfig cfg) {
        this.cfg = cfg;
    }

    /**
     * Starts what the config enables; {@code httpBase} is how LAN clients reach this gateway,
     * {@code security} says who may use the service and what the client presents.
     */
    void start(RuntimeResources runtime, Metrics metrics, String httpBase, LanSecurity security) throws IOException {
        List<Registrar> registrars = new ArrayList<>();
        if (cfg.rendezvous().enabled()) {
            service = RendezvousService.start(cfg.rendezvous(), security.rendezvous(), metrics);
            local = new LocalRegistrar(service.registry());
            registrars.add(local);
            runtime.add(RendezvousRuntime.resource(service.registry()));
            runtime.addFamily("rendezvous", ns -> new RuntimeResource("rendezvous/" + ns,
                    RendezvousRuntime.namespace(service.registry(), ns), false,
                    "{\"verbs\":[\"GET\"],\"type\":\"j\",\"observable\":\"on REGISTER/UNREGISTER\"}"));
            service.registry().addListener(RendezvousListener.onChange(ns -> {
                runtime.changed("rendezvous");
                runtime.changed("rendezvous/" + ns);
            }));
        }
        if (cfg.rendezvous().registerTo().isPresent()) {
            remote = new RendezvousClient(cfg.rendezvous().registerTo().get(), RendezvousClient.Listener.NONE,
                    100, 30_000).secure(security.registerToken(), security.registerTls()).start();
            registrars.add(remote);
        }
        if (!registrars.isEmpty()) {
            presence = new DevicePresence(cfg.node().id(), httpBase, registrars);
        }
    }

    @Override
    public void changed(DeviceSession session, DeviceState from, DeviceState to, String reason) {
        DevicePresence p = presence;
        if (p == null) {
            return;
        }
        DeviceConfig d = cfg.device(session.name()).orElse(null);
        if (d == null) {
            return;
        }
        if (to == DeviceState.ATTACHED) {
            String board = session.identity().map(i -> i.board()).filter(b -> !b.isEmpty()).orElse(null);
            p.deviceAttached(d.name(), d.mount(), board, d.namespaces());
        } else if (from == DeviceState.ATTACHED) {
            p.deviceDetached(d.name());
        }
    }

    @Override
    public void close() {
        if (presence != null) {
            for (String name : presence.attached()) {
                presence.deviceDetached(name);
            }
        }
        for (AutoCloseable c : new AutoCloseable[] {remote, local, service}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                Logger.warn(e, "closing {} failed", c);
            }
        }
    }
}

package dev.ferry.edge.rendezvous;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.edge.config.HostPort;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.runtime.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Device attach/detach reaches a TCP subscriber within 100 ms (a functional bound of issue 8). */
@Tag("system")
class DevicePresenceTest {
    @Test
    void attachAndDetachAreAnnounced() throws Exception {
        Metrics metrics = new Metrics();
        List<String> changed = new ArrayList<>();
        try (RendezvousService service = RendezvousService.start(new HostPort("127.0.0.1", 0),
                     RendezvousLimits.defaults(), 8, metrics);
             LocalRegistrar local = new LocalRegistrar(service.registry());
             TestPeer sub = new TestPeer(service.localAddress())) {
            service.registry().addListener(RendezvousListener.onChange(changed::add));
            DevicePresence presence = new DevicePresence("gw1", "http://127.0.0.1:8080/", List.of(local));
            sub.send(RendezvousMessage.rendezvous("uno"));
            sub.send(RendezvousMessage.discover("uno"));
            assertEquals(RendezvousMessage.register(List.of()), sub.receive());   // subscribed now

            long t0 = System.nanoTime();
            presence.deviceAttached("dev0", "/dev0", "uno", List.of("lab"));
            RendezvousMessage got = sub.receive();
            long attachMs = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(RendezvousMessage.register(List.of(
                    Registration.of("uno", "gw1/dev0", "http://127.0.0.1:8080/dev0"))), got);
            assertEquals(List.of(Registration.of("lab", "gw1/dev0", "http://127.0.0.1:8080/dev0")),
                    service.registry().registrations("lab"));

            String json = new String(Json.bytes(RendezvousRuntime.namespace(service.registry(), "uno")),
                    StandardCharsets.UTF_8);
            assertEquals("{\"ns\":\"uno\",\"registrations\":[{\"id\":\"gw1/dev0\","
                    + "\"addrs\":[\"http://127.0.0.1:8080/dev0\"]}]}", json);

            t0 = System.nanoTime();
            presence.deviceDetached("dev0");
            got = sub.receive();
            long detachMs = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(RendezvousMessage.unregister("uno", "gw1/dev0"), got);
            assertEquals(0, service.registry().size());
            assertEquals(List.of("lab", "uno", "lab", "uno"), changed);
            System.out.printf("rendezvous presence latency: attach %d ms, detach %d ms%n", attachMs, detachMs);
        }
    }
}

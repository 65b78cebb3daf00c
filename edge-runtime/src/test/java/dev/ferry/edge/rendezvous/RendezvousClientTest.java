package dev.ferry.edge.rendezvous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.config.HostPort;
import dev.ferry.edge.metrics.Metrics;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** RendezvousClient: announcements, discover, and re-registration after the service restarts. */
@Tag("system")
class RendezvousClientTest {
    @Test
    void reconnectsAndReRegisters() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        RendezvousClient.Listener l = new RendezvousClient.Listener() {
            @Override
            public void registered(Registration r) {
                events.add("REGISTER " + r.id());
            }

            @Override
            public void unregistered(String ns, String id) {
                events.add("UNREGISTER " + id);
            }

            @Override
            public void connected() {
                events.add("CONNECTED");
            }

            @Override
            public void disconnected(String reason) {
                events.add("DISCONNECTED");
            }
        };
        RendezvousService service = RendezvousService.start(new HostPort("127.0.0.1", 0),
                RendezvousLimits.defaults(), 8, new Metrics());
        HostPort at = new HostPort("127.0.0.1", service.localAddress().getPort());
        try (RendezvousClient client = new RendezvousClient(at, l, 20, 200).start();
             RendezvousClient other = new RendezvousClient(at, RendezvousClient.Listener.NONE, 20, 200).start()) {
            client.register(Registration.of("ns", "me", "a"));
            client.enter("ns");
            assertEquals("CONNECTED", events.poll(5, TimeUnit.SECONDS));
            other.register(Registration.of("ns", "other", "b"));
            assertEquals("REGISTER other", events.poll(5, TimeUnit.SECONDS));
            assertEquals(List.of("me", "other"), RendezvousClient.discover(at, "ns", 2000).stream()
                    .map(Registration::id).sorted().toList());      // order depends on who connected first

            service.close();                                   // service goes away ...
            String e = events.poll(5, TimeUnit.SECONDS);
            if ("UNREGISTER other".equals(e)) {                // the other's session may close before ours
                e = events.poll(5, TimeUnit.SECONDS);
            }
            assertEquals("DISCONNECTED", e);
            service = RendezvousService.start(at, RendezvousLimits.defaults(), 8, new Metrics());  // ... and returns
            assertEquals("CONNECTED", events.poll(10, TimeUnit.SECONDS));
            // both clients re-register; ours re-enters rendezvous and hears about the other
            String next = events.poll(10, TimeUnit.SECONDS);
            assertEquals("REGISTER other", next);
            List<String> ids = RendezvousClient.discover(at, "ns", 2000).stream().map(Registration::id).toList();
            assertTrue(ids.contains("me"), ids.toString());
        } finally {
            service.close();
        }
    }
}

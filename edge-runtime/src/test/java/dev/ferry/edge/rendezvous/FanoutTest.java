package dev.ferry.edge.rendezvous;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.edge.config.HostPort;
import dev.ferry.edge.metrics.Metrics;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A burst of announcements to many subscribers: each announcement is framed once and shared, and
 * each connection joins queued frames into larger writes; every subscriber must still receive
 * exactly the bytes of every announcement, in order.
 */
@Tag("system")
class FanoutTest {
    @Test
    void everySubscriberGetsTheSameBytes() throws Exception {
        Metrics metrics = new Metrics();
        int subscribers = 12;
        int registrations = 400;
        try (RendezvousService service = RendezvousService.start(new HostPort("127.0.0.1", 0),
                RendezvousLimits.of(4, 1000, 1000), 64, metrics);
             TestPeer registrant = new TestPeer(service.localAddress())) {
            Registration sync = Registration.of("fan", "sync", "x");
            registrant.send(RendezvousMessage.register(List.of(sync)));
            List<TestPeer> subs = new ArrayList<>();
            try {
                for (int i = 0; i < subscribers; i++) {
                    TestPeer p = new TestPeer(service.localAddress());
                    subs.add(p);
                    p.send(RendezvousMessage.rendezvous("fan"));
                    assertEquals(RendezvousMessage.register(List.of(sync)), p.receive(), "entered");
                }
                ByteArrayOutputStream burst = new ByteArrayOutputStream();
                String big = "a".repeat(256);
                for (int i = 0; i < registrations; i++) {
                    Registration r = i % 50 == 7
                            ? Registration.of("fan", "peer-" + i, big, big, big, big, big, big, big, big)
                            : Registration.of("fan", "peer-" + i, "http://10.0.0." + i % 250 + ":8080/d" + i);
                    burst.write(RendezvousWire.frame(RendezvousMessage.register(List.of(r))));
                }
                byte[] expected = burst.toByteArray();
                registrant.sendRaw(expected);                  // one write: the service sees a burst
                for (TestPeer p : subs) {
                    assertArrayEquals(expected, p.readExactly(expected.length), "byte-identical announcements");
                }
                // counted before anyone leaves (the registrant's leaving is announced too)
                assertEquals((long) subscribers * (registrations + 1), metrics.value("ferry_rendezvous_sent_total"));
            } finally {
                for (TestPeer p : subs) {
                    p.close();
                }
            }
        }
        assertEquals(0, metrics.value("ferry_rendezvous_cut_total{reason=\"subscriber_queue_full\"}"));
    }
}

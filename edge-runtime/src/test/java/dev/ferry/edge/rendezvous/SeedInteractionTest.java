package dev.ferry.edge.rendezvous;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.edge.config.HostPort;
import dev.ferry.edge.metrics.Metrics;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The seed's interaction, literally, over real sockets; exact message contents asserted. */
@Tag("system")
class SeedInteractionTest {
    private static final Registration A = Registration.of("my-app", "QmA", "AddressA");
    private static final Registration B = Registration.of("my-app", "QmB", "AddressB");
    private static final Registration C = Registration.of("my-app", "QmC", "AddressC");

    private final Metrics metrics = new Metrics();
    private RendezvousService service;

    @BeforeEach
    void start() throws Exception {
        service = RendezvousService.start(new HostPort("127.0.0.1", 0), RendezvousLimits.defaults(), 64, metrics);
    }

    @AfterEach
    void stop() {
        service.close();
    }

    /** Nothing else is queued for {@code p}: the answer to a DISCOVER sent now is the next message. */
    private static void assertNothingPending(TestPeer p, List<Registration> current) throws Exception {
        p.send(RendezvousMessage.discover("my-app"));
        assertEquals(RendezvousMessage.register(current), p.receive());
    }

    @Test
    void seedInteraction() throws Exception {
        try (TestPeer a = new TestPeer(service.localAddress());
             TestPeer b = new TestPeer(service.localAddress());
             TestPeer c = new TestPeer(service.localAddress());
             TestPeer d = new TestPeer(service.localAddress())) {
            a.send(RendezvousMessage.register(List.of(A)));
            a.send(RendezvousMessage.rendezvous("my-app"));
            assertNothingPending(a, List.of(A));             // A is not told about itself

            b.send(RendezvousMessage.register(List.of(B)));
            b.send(RendezvousMessage.rendezvous("my-app"));
            assertEquals(RendezvousMessage.register(List.of(A)), b.receive());
            assertEquals(RendezvousMessage.register(List.of(B)), a.receive());

            c.send(RendezvousMessage.register(List.of(C)));
            c.send(RendezvousMessage.rendezvous("my-app"));
            assertEquals(RendezvousMessage.register(List.of(A, B)), c.receive());
            assertEquals(RendezvousMessage.register(List.of(C)), a.receive());
            assertEquals(RendezvousMessage.register(List.of(C)), b.receive());

            d.send(RendezvousMessage.discover("my-app"));
            assertEquals(RendezvousMessage.register(List.of(A, B, C)), d.receive());

            b.close();                                           // B disconnects
            assertEquals(RendezvousMessage.unregister("my-app", "QmB"), a.receive());
            assertEquals(RendezvousMessage.unregister("my-app", "QmB"), c.receive());
            assertNothingPending(a, List.of(A, C));
            assertNothingPending(d, List.of(A, C));              // D never entered: no announcements

            c.send(RendezvousMessage.unregister("my-app", "QmC"));   // explicit unregister
            assertEquals(RendezvousMessage.unregister("my-app", "QmC"), a.receive());
            assertNothingPending(c, List.of(A));
            assertEquals(2, metrics.value("ferry_rendezvous_unregistered_total"));
            assertEquals(3, metrics.value("ferry_rendezvous_received_total{type=\"register\"}"));
        }
    }
}

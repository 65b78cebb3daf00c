package dev.ferry.edge.rendezvous;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.edge.config.HostPort;
import dev.ferry.edge.metrics.Metrics;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Tag;

/** RendezvousService.close() ends every client connection (it once left some open). */
@Tag("system")
class ServiceCloseTest {
    @RepeatedTest(5)
    void closeEndsConnections() throws Exception {
        RendezvousService s = RendezvousService.start(new HostPort("127.0.0.1", 0), RendezvousLimits.defaults(), 8, new Metrics());
        try (TestPeer p = new TestPeer(s.localAddress())) {
            p.send(RendezvousMessage.discover("x"));
            assertEquals(RendezvousMessage.register(List.of()), p.receive());
            s.close();
            assertEquals(-1, p.readByte());
        }
    }
}

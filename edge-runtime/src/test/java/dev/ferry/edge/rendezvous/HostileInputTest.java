package dev.ferry.edge.rendezvous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.config.HostPort;
import dev.ferry.edge.metrics.Metrics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Garbage, oversize, truncated and over-bound input: clean close or refusal, counters, service survives. */
@Tag("system")
class HostileInputTest {
    private final Metrics metrics = new Metrics();
    private RendezvousService service;

    @BeforeEach
    void start() throws Exception {
        // 2 namespaces per peer, 3 registrations per namespace
        service = RendezvousService.start(new HostPort("127.0.0.1", 0), RendezvousLimits.of(2, 3, 16), 64, metrics);
    }

    @AfterEach
    void stop() {
        service.close();
    }

    private void assertClosedWith(byte[] input, String reason) throws Exception {
        try (TestPeer p = new TestPeer(service.localAddress())) {
            p.sendRaw(input);
            assertEquals(-1, p.readByte(), "service closes the connection");
        }
        assertEquals(1, metrics.value("ferry_rendezvous_malformed_total{reason=\"" + reason + "\"}"), reason);
    }

    private void assertServiceWorks() throws Exception {
        try (TestPeer p = new TestPeer(service.localAddress())) {
            p.send(RendezvousMessage.discover("alive"));
            assertEquals(RendezvousMessage.register(List.of()), p.receive());
        }
    }

    @Test
    void garbageIsBadProtobuf() throws Exception {
        assertClosedWith(new byte[] {0x04, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, "bad_protobuf");
        assertServiceWorks();
    }

    @Test
    void oversizeLengthPrefix() throws Exception {
        assertClosedWith(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}, "oversize");
        assertClosedWith(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1}, "bad_length");
        assertServiceWorks();
    }

    @Test
    void truncatedMessage() throws Exception {
        byte[] whole = RendezvousWire.frame(RendezvousMessage.register(List.of(Registration.of("ns", "id", "a"))));
        try (TestPeer p = new TestPeer(service.localAddress())) {
            p.sendRaw(java.util.Arrays.copyOf(whole, whole.length - 3));
            p.shutdownOutput();
            assertEquals(-1, p.readByte());
        }
        assertEquals(0, service.registry().size());
        // counted as the server's channel goes inactive, which may trail our end of stream slightly
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (metrics.value("ferry_rendezvous_malformed_total{reason=\"truncated\"}") == 0
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(1, metrics.value("ferry_rendezvous_malformed_total{reason=\"truncated\"}"));
        assertServiceWorks();
    }

    @Test
    void wellFormedButInvalid() throws Exception {
        assertClosedWith(new byte[] {0x02, 0x08, 0x07}, "bad_type");                 // type 7
        assertClosedWith(RendezvousWire.frame(RendezvousMessage.register(List.of())), "bad_entries");
        assertClosedWith(RendezvousWire.frame(RendezvousMessage.rendezvous("x".repeat(129))), "bad_namespace");
        assertClosedWith(RendezvousWire.frame(RendezvousMessage.register(
                List.of(Registration.of("ns", "i".repeat(129))))), "bad_id");
        String[] nine = new String[9];
        java.util.Arrays.fill(nine, "a");
        assertClosedWith(RendezvousWire.frame(RendezvousMessage.register(
                List.of(Registration.of("ns", "id", nine)))), "bad_addrs");
        assertServiceWorks();
    }

    @Test
    void floodPastBoundsIsRefused() throws Exception {
        try (TestPeer p = new TestPeer(service.localAddress())) {
            List<Registration> flood = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                flood.add(Registration.of("ns1", "peer" + i, "addr" + i));
            }
            p.send(RendezvousMessage.register(flood));
            // the 4th and 5th exceed 3 per namespace: each refusal is an UNREGISTER of that id
            assertEquals(RendezvousMessage.unregister("ns1", "peer3"), p.receive());
            assertEquals(RendezvousMessage.unregister("ns1", "peer4"), p.receive());
            p.send(RendezvousMessage.register(List.of(Registration.of("ns2", "x", "a"))));
            p.send(RendezvousMessage.register(List.of(Registration.of("ns3", "x", "a"))));  // 3rd namespace
            assertEquals(RendezvousMessage.unregister("ns3", "x"), p.receive());
            p.send(RendezvousMessage.discover("ns1"));
            assertEquals(RendezvousMessage.register(flood.subList(0, 3)), p.receive());
        }
        assertEquals(2, metrics.value("ferry_rendezvous_refused_total{reason=\"registrations_per_namespace\"}"));
        assertEquals(1, metrics.value("ferry_rendezvous_refused_total{reason=\"namespaces_per_peer\"}"));
        assertServiceWorks();
    }

    @Test
    void slowSubscriberIsCutOff() throws Exception {
        // queue of 16: a subscriber that never reads is cut off once its socket buffers and queue fill
        try (TestPeer slow = new TestPeer(service.localAddress());
             TestPeer writer = new TestPeer(service.localAddress())) {
            slow.send(RendezvousMessage.rendezvous("busy"));
            writer.send(RendezvousMessage.discover("busy"));           // slow's RENDEZVOUS is processed
            writer.receive();
            String big = "x".repeat(250);
            String[] addrs = {big, big, big, big, big, big, big, big};
            int rounds = 0;
            while (metrics.value("ferry_rendezvous_cut_total{reason=\"subscriber_queue_full\"}") == 0) {
                assertTrue(++rounds < 100_000, "never cut off");
                writer.send(RendezvousMessage.register(List.of(Registration.of("busy", "w", addrs))));
                writer.send(RendezvousMessage.unregister("busy", "w"));
                if (rounds % 50 == 0) {
                    writer.send(RendezvousMessage.discover("none"));   // pace: wait until processed
                    writer.receive();
                }
            }
        }
        assertServiceWorks();
    }
}

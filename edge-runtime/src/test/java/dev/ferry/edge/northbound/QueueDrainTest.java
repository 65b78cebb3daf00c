package dev.ferry.edge.northbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.config.NorthboundConfig;
import dev.ferry.edge.metrics.Metrics;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the store-and-forward queue counts while the broker is away (no session: nothing is sent). */
@Tag("small")
class QueueDrainTest {
    @TempDir
    Path dir;

    private final Metrics metrics = new Metrics();

    private QueueDrain drain(long maxBytes, NorthboundConfig.QueueFull policy) throws Exception {
        NorthboundConfig d = NorthboundConfig.disabled("n");
        NorthboundConfig c = new NorthboundConfig(true, d.broker(), false, d.caFile(), d.certFile(), d.keyFile(),
                d.username(), d.passwordFile(), d.mode(), d.clientId(), d.groupId(), d.edgeNodeId(), d.primaryHost(),
                d.topicPrefix(), d.publish(), d.commands(), d.qos(), d.keepAliveS(), d.connectTimeoutMs(),
                d.reconnectMinMs(), d.reconnectMaxMs(), d.birthWaitMs(), d.maxInflight(), dir.toString(), maxBytes,
                policy, d.queueFsync(), d.queueFsyncMs());
        return new QueueDrain(c, metrics, null, null, reason -> { });
    }

    private long dropped(String reason) {
        return metrics.counter("ferry_northbound_dropped_total", "reason", reason).sum();
    }

    @Test
    void everyMessageALargeOnePushesOutIsCounted() throws Exception {
        int small = new DiskQueue.Entry(0, 0, Wire.DATA, "k", new byte[10]).size();
        QueueDrain q = drain(small * 6L, NorthboundConfig.QueueFull.DROP_OLDEST);
        try {
            for (int i = 0; i < 6; i++) {
                assertTrue(q.append(Wire.DATA, "k", i, new byte[10]));
            }
            assertEquals(0, dropped("queue_full_oldest"));
            int large = small * 3 - new DiskQueue.Entry(0, 0, Wire.DATA, "k", new byte[0]).size();
            assertTrue(q.append(Wire.DATA, "k", 6, new byte[large]));
            assertEquals(3, dropped("queue_full_oldest"), "three readings made room for one large message");
            assertEquals(4, q.depth());
            assertTrue(q.append(Wire.DATA, "k", 7, new byte[10]));
            assertEquals(4, dropped("queue_full_oldest"), "one more small reading for one small reading");
            assertEquals(4, q.depth());
            assertEquals(8, metrics.counter("ferry_northbound_queued_total").sum(), "every message was stored");
        } finally {
            q.close();
        }
    }

    @Test
    void refuseNewestCountsEachRefusal() throws Exception {
        int small = new DiskQueue.Entry(0, 0, Wire.DATA, "k", new byte[10]).size();
        QueueDrain q = drain(small * 2L, NorthboundConfig.QueueFull.REFUSE_NEWEST);
        try {
            assertTrue(q.append(Wire.DATA, "k", 0, new byte[10]));
            assertTrue(q.append(Wire.DATA, "k", 1, new byte[10]));
            assertEquals(false, q.append(Wire.DATA, "k", 2, new byte[10]));
            assertEquals(false, q.append(Wire.DATA, "k", 3, new byte[10]));
            assertEquals(2, dropped("queue_full_newest"));
            assertEquals(0, dropped("queue_full_oldest"));
            assertEquals(2, q.depth());
        } finally {
            q.close();
        }
    }
}

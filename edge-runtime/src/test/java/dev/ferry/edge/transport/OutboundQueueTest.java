package dev.ferry.edge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class OutboundQueueTest {
    /** Records what the queue hands it, and where each batch ended. */
    private static final class RecordingSink implements OutboundQueue.Sink {
        final List<Integer> written = new ArrayList<>();
        final List<Integer> batchEnds = new ArrayList<>();

        @Override
        public void write(Channel ch, byte[] envelope) {
            written.add((int) envelope[0] & 0xFF | ((int) envelope[1] & 0xFF) << 8);
        }

        @Override
        public void endBatch(Channel ch) {
            batchEnds.add(written.size());
        }
    }

    private static byte[] numbered(int i) {
        return new byte[] {(byte) i, (byte) (i >> 8), 0, 0};
    }

    @Test
    void aFullQueueIsWrittenInOrderInBatchesOfAtMostMaxBatch() {
        EmbeddedChannel ch = new EmbeddedChannel();
        OutboundQueue q = new OutboundQueue(1 << 20);
        RecordingSink sink = new RecordingSink();
        int n = 2 * OutboundQueue.MAX_BATCH + 17;
        for (int i = 0; i < n; i++) {
            assertTrue(q.offer(ch, numbered(i), sink));
        }
        ch.runPendingTasks();
        assertEquals(n, sink.written.size());
        for (int i = 0; i < n; i++) {
            assertEquals(i, sink.written.get(i), "envelope " + i);
        }
        assertEquals(List.of(OutboundQueue.MAX_BATCH, 2 * OutboundQueue.MAX_BATCH, n), sink.batchEnds,
                "a batch ends (and is flushed) every MAX_BATCH envelopes");
        assertEquals(0, q.queuedBytes());
    }

    @Test
    void offersAfterADrainScheduleANewOne() {
        EmbeddedChannel ch = new EmbeddedChannel();
        OutboundQueue q = new OutboundQueue(1 << 20);
        RecordingSink sink = new RecordingSink();
        q.offer(ch, numbered(1), sink);
        ch.runPendingTasks();
        q.offer(ch, numbered(2), sink);
        q.offer(ch, numbered(3), sink);
        ch.runPendingTasks();
        assertEquals(List.of(1, 2, 3), sink.written);
        assertEquals(List.of(1, 3), sink.batchEnds);
    }

    @Test
    void theByteBoundRefusesAndRecoversOnceDrained() {
        EmbeddedChannel ch = new EmbeddedChannel();
        OutboundQueue q = new OutboundQueue(10);
        RecordingSink sink = new RecordingSink();
        assertTrue(q.offer(ch, new byte[8], sink));
        assertFalse(q.offer(ch, new byte[4], sink), "8 + 4 bytes exceed the bound of 10");
        assertEquals(8, q.queuedBytes());
        ch.runPendingTasks();
        assertEquals(0, q.queuedBytes());
        assertTrue(q.offer(ch, new byte[4], sink));
    }

    @Test
    void nothingIsWrittenToAnInactiveChannelAndTheBytesAreReleased() {
        EmbeddedChannel ch = new EmbeddedChannel();
        OutboundQueue q = new OutboundQueue(1 << 20);
        RecordingSink sink = new RecordingSink();
        ch.close();
        assertTrue(q.offer(ch, numbered(1), sink), "the transport checks the state; the queue only queues");
        ch.runPendingTasks();
        assertEquals(List.of(), sink.written);
        assertEquals(List.of(), sink.batchEnds);
        assertEquals(0, q.queuedBytes());
    }
}

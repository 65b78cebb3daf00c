package dev.ferry.edge.rendezvous;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The per-connection outbox over an in-memory channel: order, joining, the bound, writability, close. */
@Tag("small")
class SubscriberOutboxTest {
    private static byte[] frame(int size, int seed) {
        byte[] f = new byte[size];
        Arrays.fill(f, (byte) seed);
        f[0] = (byte) (seed >> 8);
        return f;
    }

    /** Everything the channel wrote, buffer by buffer. */
    private static List<byte[]> written(EmbeddedChannel ch) {
        List<byte[]> out = new ArrayList<>();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            out.add(ByteBufUtil.getBytes(b));
            b.release();
        }
        return out;
    }

    @Test
    void writesEveryFrameInOrderJoiningSmallOnes() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        SubscriberOutbox box = new SubscriberOutbox(ch, 1000);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            frames.add(frame(i == 77 ? 3 * SubscriberOutbox.COALESCE_BYTES : 1 + (i * 37) % 900, i));
        }
        for (byte[] f : frames) {
            assertTrue(box.offer(f));
            expected.write(f);
        }
        assertEquals(200, box.pending());
        ch.runPendingTasks();
        List<byte[]> bufs = new ArrayList<>(written(ch));
        for (int round = 0; box.pending() > 0; round++) {
            assertTrue(round < 20, "drain makes progress once writable");
            box.drain();        // the connection does this when the channel is writable again
            bufs.addAll(written(ch));
        }
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        for (byte[] b : bufs) {
            got.write(b);
            assertTrue(b.length <= SubscriberOutbox.COALESCE_BYTES || b.length == 3 * SubscriberOutbox.COALESCE_BYTES,
                    "joined buffers stay within the limit; a larger frame goes alone");
        }
        assertArrayEquals(expected.toByteArray(), got.toByteArray());
        assertTrue(bufs.size() < 20, "200 small frames are joined into a few buffers, got " + bufs.size());
        assertEquals(0, box.pending(), "all on the 'socket'");
    }

    @Test
    void boundCountsFramesUntilWritten() {
        EmbeddedChannel ch = new EmbeddedChannel();
        SubscriberOutbox box = new SubscriberOutbox(ch, 3);
        for (int i = 0; i < 3; i++) {
            assertTrue(box.offer(frame(10, i)));
        }
        assertFalse(box.offer(frame(10, 3)), "a fourth frame exceeds the bound");
        assertEquals(3, box.pending());
        ch.runPendingTasks();
        assertEquals(0, box.pending());
        assertTrue(box.offer(frame(10, 4)), "room again once written");
        ch.runPendingTasks();
        assertEquals(40, written(ch).stream().mapToInt(b -> b.length).sum());
    }

    @Test
    void stopsWritingWhileNotWritable() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(16 * 1024, 64 * 1024));
        SubscriberOutbox box = new SubscriberOutbox(ch, 100);
        for (int i = 0; i < 20; i++) {
            assertTrue(box.offer(frame(SubscriberOutbox.COALESCE_BYTES, i)));
        }
        ch.runPendingTasks();   // writes until past the high water mark, then flushes
        int first = written(ch).size();
        assertTrue(first >= 4 && first <= 6, "about 64 KiB handed to the channel before it stops, got " + first);
        assertEquals(20 - first, box.pending(), "the rest waits in the outbox, counted");
        for (int round = 0; box.pending() > 0; round++) {
            assertTrue(round < 10, "drain makes progress once writable");
            box.drain();        // what the connection does when the channel is writable again
        }
        assertEquals(20 - first, written(ch).size());
    }

    @Test
    void closeDropsQueuedFramesAndLaterOnes() {
        EmbeddedChannel ch = new EmbeddedChannel();
        SubscriberOutbox box = new SubscriberOutbox(ch, 2);
        assertTrue(box.offer(frame(5, 1)));
        assertTrue(box.offer(frame(5, 2)));
        box.close();
        assertEquals(0, box.pending());
        assertTrue(box.offer(frame(5, 3)), "a closed outbox accepts and drops (its session is closing)");
        ch.runPendingTasks();
        assertNull(ch.readOutbound());
        assertEquals(0, box.pending());
    }
}

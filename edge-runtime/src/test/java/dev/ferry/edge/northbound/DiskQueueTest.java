package dev.ferry.edge.northbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store-and-forward queue as a careless process, a power cut and a full disk would use it. */
@Tag("small")
class DiskQueueTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private DiskQueue open(long max, boolean dropOldest) throws IOException {
        return DiskQueue.open(dir, max, dropOldest, DiskQueue.Sync.INTERVAL);
    }

    @Test
    void messagesComeBackInOrderAndLeaveOnlyWhenAcknowledged() throws IOException {
        try (DiskQueue q = open(1 << 20, true)) {
            for (int i = 0; i < 5; i++) {
                assertEquals(DiskQueue.Appended.STORED, q.append((byte) 1, "dev0", 1000 + i, bytes("m" + i)));
            }
            DiskQueue.Entry a = q.next();
            DiskQueue.Entry b = q.next();
            assertEquals("m0", new String(a.payload(), StandardCharsets.UTF_8));
            assertEquals("dev0", a.key());
            assertEquals(1000, a.producedMs());
            assertEquals(a.id() + 1, b.id());
            q.ack(a.id());
            assertEquals(4, q.depth());
            q.rewind();    // connection lost: b was never acknowledged, so it comes again
            assertEquals(b.id(), q.next().id());
        }
    }

    @Test
    void unacknowledgedMessagesSurviveARestartAndIdsGoOn() throws IOException {
        long last;
        try (DiskQueue q = open(1 << 20, true)) {
            for (int i = 0; i < 10; i++) {
                q.append((byte) 1, "k", i, bytes("m" + i));
            }
            for (int i = 0; i < 4; i++) {
                q.ack(q.next().id());
            }
            last = q.nextId();
        }
        try (DiskQueue q = open(1 << 20, true)) {
            assertEquals(6, q.depth());
            assertEquals(last, q.nextId());
            assertEquals("m4", new String(q.next().payload(), StandardCharsets.UTF_8));
            q.append((byte) 1, "k", 99, bytes("after"));
            assertEquals(last, lastId(q));
        }
    }

    private static long lastId(DiskQueue q) throws IOException {
        q.rewind();
        long id = -1;
        for (DiskQueue.Entry e = q.next(); e != null; e = q.next()) {
            id = e.id();
        }
        return id;
    }

    @Test
    void aTornTailFromAPowerCutIsCutOffAndCounted() throws IOException {
        try (DiskQueue q = open(1 << 20, true)) {
            for (int i = 0; i < 3; i++) {
                q.append((byte) 1, "k", i, bytes("message " + i));
            }
        }
        Path seg = segments().get(0);
        long size = Files.size(seg);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.truncate(size - 3);                    // the last record half written
            ch.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 9, 1, 2}), size - 3);   // and garbage after it
        }
        try (DiskQueue q = open(1 << 20, true)) {
            assertEquals(1, q.corruptRecords());
            assertEquals(2, q.depth());
            assertEquals("message 0", new String(q.next().payload(), StandardCharsets.UTF_8));
            assertEquals("message 1", new String(q.next().payload(), StandardCharsets.UTF_8));
            assertNull(q.next());
            assertEquals(DiskQueue.Appended.STORED, q.append((byte) 1, "k", 3, bytes("message 2 again")));
        }
        try (DiskQueue q = open(1 << 20, true)) {
            assertEquals(0, q.corruptRecords());
            assertEquals(3, q.depth());
        }
    }

    @Test
    void aFlippedBitIsNotDeliveredAsData() throws IOException {
        try (DiskQueue q = open(1 << 20, true)) {
            q.append((byte) 1, "k", 0, bytes("good"));
            q.append((byte) 1, "k", 1, bytes("flipped"));
        }
        Path seg = segments().get(0);
        byte[] all = Files.readAllBytes(seg);
        all[all.length - 2] ^= 0x10;
        Files.write(seg, all);
        try (DiskQueue q = open(1 << 20, true)) {
            assertEquals(1, q.corruptRecords());
            assertEquals("good", new String(q.next().payload(), StandardCharsets.UTF_8));
            assertNull(q.next());
        }
    }

    @Test
    void dropOldestKeepsTheBoundAndSaysSo() throws IOException {
        int record = new DiskQueue.Entry(0, 0, (byte) 1, "k", new byte[100]).size();
        try (DiskQueue q = open(record * 10L, true)) {
            for (int i = 0; i < 10; i++) {
                assertEquals(DiskQueue.Appended.STORED, q.append((byte) 1, "k", i, new byte[100]));
            }
            assertEquals(DiskQueue.Appended.STORED_DROPPED_OLDEST, q.append((byte) 1, "k", 10, new byte[100]));
            assertEquals(10, q.depth());
            assertTrue(q.bytes() <= record * 10L);
            assertEquals(1, q.droppedOldest());
            assertEquals(1, q.next().producedMs());     // message 0 went
        }
    }

    @Test
    void aMessageDroppedInFlightCountsOnlyIfTheBrokerNeverTookIt() throws IOException {
        int record = new DiskQueue.Entry(0, 0, (byte) 1, "k", new byte[100]).size();
        try (DiskQueue q = open(record * 3L, true)) {
            for (int i = 0; i < 3; i++) {
                q.append((byte) 1, "k", i, new byte[100]);
            }
            DiskQueue.Entry first = q.next();                  // in flight
            assertEquals(DiskQueue.Appended.STORED_DROPPED_OLDEST, q.append((byte) 1, "k", 3, new byte[100]));
            assertEquals(0, q.droppedOldest(), "in flight: not known to be lost yet");
            q.ack(first.id());                                 // the broker took it after all
            assertEquals(0, q.droppedOldest(), "delivered, so not dropped");
            assertEquals(1, q.next().producedMs(), "the send cursor moved past what was dropped");

            DiskQueue.Entry second = q.next();                 // 2, in flight behind 1
            assertEquals(2, second.producedMs());
            q.append((byte) 1, "k", 4, new byte[100]);       // drops 1 (in flight)
            q.append((byte) 1, "k", 5, new byte[100]);       // drops 2 (in flight)
            assertEquals(0, q.droppedOldest());
            q.rewind();                                        // the connection died without their acks
            assertEquals(2, q.droppedOldest(), "lost with the connection: counted now");
            q.ack(second.id());                                // a stale acknowledgement changes nothing
            assertEquals(2, q.droppedOldest());
            assertEquals(3, q.next().producedMs());
            assertEquals(3, q.depth());
        }
    }

    @Test
    void aLargeMessageThatPushesOutSeveralCountsEachOne() throws IOException {
        int small = new DiskQueue.Entry(0, 0, (byte) 1, "k", new byte[10]).size();
        try (DiskQueue q = open(small * 6L, true)) {
            for (int i = 0; i < 6; i++) {
                q.append((byte) 1, "k", i, new byte[10]);
            }
            byte[] large = new byte[small * 3 - new DiskQueue.Entry(0, 0, (byte) 1, "k", new byte[0]).size()];
            assertEquals(DiskQueue.Appended.STORED_DROPPED_OLDEST, q.append((byte) 1, "k", 6, large));
            assertEquals(3, q.droppedOldest(), "three small records made room for one large one");
            assertEquals(4, q.depth());
            assertEquals(3, q.next().producedMs());
        }
    }

    @Test
    void refuseNewestKeepsWhatIsQueued() throws IOException {
        int record = new DiskQueue.Entry(0, 0, (byte) 1, "k", new byte[100]).size();
        try (DiskQueue q = open(record * 4L, false)) {
            for (int i = 0; i < 4; i++) {
                q.append((byte) 1, "k", i, new byte[100]);
            }
            assertEquals(DiskQueue.Appended.REFUSED_FULL, q.append((byte) 1, "k", 4, new byte[100]));
            assertEquals(4, q.depth());
            assertEquals(0, q.next().producedMs());
            assertEquals(DiskQueue.Appended.REFUSED_TOO_LARGE,
                    q.append((byte) 1, "k", 5, new byte[DiskQueue.MAX_RECORD]));
        }
    }

    @Test
    void segmentsRollAndAcknowledgedOnesAreDeleted() throws IOException {
        try (DiskQueue q = open(64 * 1024, false)) {     // 4 KiB segments
            for (int i = 0; i < 200; i++) {
                q.append((byte) 1, "k", i, new byte[100]);
            }
            assertTrue(segments().size() > 3, segments().toString());
            for (int i = 0; i < 150; i++) {
                q.ack(q.next().id());
            }
            assertEquals(List.of("00000000000000000128.seg", "00000000000000000160.seg", "00000000000000000192.seg"),
                    segments().stream().map(p -> p.getFileName().toString()).toList());
            assertEquals(50, q.depth());
            assertEquals(150, q.next().producedMs());
        }
        try (DiskQueue q = open(64 * 1024, false)) {
            assertEquals(50, q.depth());
            assertEquals(150, q.next().producedMs());
        }
    }

    @Test
    void acknowledgementsOutOfOrderMoveTheHeadOnlyOverAGaplessRun() throws IOException {
        try (DiskQueue q = open(1 << 20, true)) {
            for (int i = 0; i < 4; i++) {
                q.append((byte) 1, "k", i, bytes("m" + i));
            }
            long a = q.next().id();
            long b = q.next().id();
            long c = q.next().id();
            q.ack(c);
            q.ack(b);
            assertEquals(4, q.depth());
            q.ack(a);
            assertEquals(1, q.depth());
            q.ack(a);        // again: ignored
            q.ack(12345);    // unknown: ignored
            assertEquals(1, q.depth());
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }
}

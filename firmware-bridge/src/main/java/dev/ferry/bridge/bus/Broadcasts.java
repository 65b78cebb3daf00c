package dev.ferry.bridge.bus;

import dev.ferry.rp.Message;
import dev.ferry.serial.frame.Frame;
import dev.ferry.serial.header.BinaryHeaderCodec;
import dev.ferry.serial.header.HeaderCodec;
import dev.ferry.serial.header.TextHeaderCodec;
import dev.ferry.serial.link.Control;
import dev.ferry.serial.link.LinkParams;
import dev.ferry.serial.segment.Segmenter;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Unacknowledged messages for every station (UI frames to FF), queued by any thread, sent by the
 * bus thread before its next turn. Bounded: 16 waiting; one segment each.
 */
final class Broadcasts {
    static final int ADDRESS = 0xFF;

    private final BusConfig config;
    private final HeaderCodec textCodec = new TextHeaderCodec();
    private final HeaderCodec binaryCodec = new BinaryHeaderCodec();
    private final BlockingQueue<Message> queue = new ArrayBlockingQueue<>(16);

    final AtomicLong sent = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();

    Broadcasts(BusConfig config) {
        this.config = config;
    }

    /** Queues {@code m}; false if it cannot fit one segment of the host's frame size or 16 wait. */
    boolean offer(Message m) {
        if (textCodec.encode(m).length > Segmenter.partSize(config.hostParams().frameSize())) {
            return false;
        }
        return queue.offer(m);
    }

    /** Sends what waits (bus thread); one that does not fit the smallest station's frame is dropped, counted. */
    void send(LinePort port, LineIo io, BusClock clock, List<StationSlot> slots) throws IOException {
        Message m;
        while ((m = queue.poll()) != null) {
            byte[] msg = codec(slots).encode(m);
            if (msg.length > Segmenter.partSize(smallestFrameSize(slots))) {
                dropped.incrementAndGet();
                continue;
            }
            byte[] info = new byte[msg.length + 1];
            info[0] = (byte) Segmenter.FIRST;
            System.arraycopy(msg, 0, info, 1, msg.length);
            Frame f = new Frame(ADDRESS, Control.u(Control.Unnumbered.UI, false).encode(), info);
            io.write(port, io.encode(List.of(f), clock.nanoTime()));
            sent.incrementAndGet();
        }
    }

    /**
     * Broadcasts are read by every station, so they are written in the lowest version any
     * connected station speaks (version 1 when none is connected; a station built without
     * version 1 then ignores them, counted as a decode error on its side).
     */
    private HeaderCodec codec(List<StationSlot> slots) {
        int v = 2;
        boolean any = false;
        for (StationSlot s : slots) {
            int sv = s.station().version();
            if (sv > 0) {
                v = Math.min(v, sv);
                any = true;
            }
        }
        return any && v == 2 ? binaryCodec : textCodec;
    }

    private int smallestFrameSize(List<StationSlot> slots) {
        int n = config.hostParams().frameSize();
        for (StationSlot s : slots) {
            n = Math.min(n, s.station().negotiated().map(LinkParams::frameSize).orElse(n));
        }
        return n;
    }
}

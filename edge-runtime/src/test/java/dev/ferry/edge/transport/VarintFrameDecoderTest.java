package dev.ferry.edge.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class VarintFrameDecoderTest {
    @Test
    void framesSplitAcrossReadsAreReassembled() {
        EmbeddedChannel ch = new EmbeddedChannel(new VarintFrameDecoder(1000));
        ByteBuf all = Unpooled.buffer();
        byte[] big = new byte[300];
        big[299] = 7;
        VarintFrameDecoder.writeFrame(all, new byte[] {1, 2});
        VarintFrameDecoder.writeFrame(all, big);
        byte[] wire = new byte[all.readableBytes()];
        all.readBytes(wire);
        for (byte b : wire) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertArrayEquals(new byte[] {1, 2}, only(ch.readInbound()));
        assertArrayEquals(big, only(ch.readInbound()));
        assertNull(ch.readInbound());
        assertEquals(2, VarintFrameDecoder.prefixLength(300));
    }

    private static byte[] only(Object frames) {
        List<byte[]> f = assertInstanceOf(VarintFrameDecoder.Frames.class, frames).frames();
        assertEquals(1, f.size());
        return f.get(0);
    }

    @Test
    void theFramesOfOneReadComeTogetherAndThoseBeforeGarbageFirst() {
        EmbeddedChannel ch = new EmbeddedChannel(new VarintFrameDecoder(10));
        ByteBuf read = Unpooled.buffer();
        VarintFrameDecoder.writeFrame(read, new byte[] {1});
        VarintFrameDecoder.writeFrame(read, new byte[] {2, 2});
        VarintFrameDecoder.writeFrame(read, new byte[] {3, 3, 3});
        read.writeByte(2).writeByte(4); // the start of a fourth frame: kept for the next read
        ch.writeInbound(read);
        List<byte[]> f = assertInstanceOf(VarintFrameDecoder.Frames.class, ch.readInbound()).frames();
        assertEquals(3, f.size());
        assertArrayEquals(new byte[] {3, 3, 3}, f.get(2));
        assertNull(ch.readInbound());
        ByteBuf next = Unpooled.buffer().writeByte(4); // completes the fourth frame
        next.writeByte(11).writeBytes(new byte[11]); // then a length over the limit
        ch.writeInbound(next);
        assertArrayEquals(new byte[] {4, 4}, only(ch.readInbound()));
        assertInstanceOf(VarintFrameDecoder.Garbage.class, ch.readInbound());
        assertNull(ch.readInbound());
    }

    @Test
    void oversizedOrZeroLengthIsGarbageOnce() {
        EmbeddedChannel ch = new EmbeddedChannel(new VarintFrameDecoder(10));
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {11, 0, 0}));
        assertInstanceOf(VarintFrameDecoder.Garbage.class, ch.readInbound());
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {1, 5}));
        assertNull(ch.readInbound()); // broken stream stays broken until reset
        EmbeddedChannel zero = new EmbeddedChannel(new VarintFrameDecoder(10));
        zero.writeInbound(Unpooled.wrappedBuffer(new byte[] {0}));
        assertInstanceOf(VarintFrameDecoder.Garbage.class, zero.readInbound());
        EmbeddedChannel bad = new EmbeddedChannel(new VarintFrameDecoder(10));
        bad.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}));
        assertInstanceOf(VarintFrameDecoder.Garbage.class, bad.readInbound());
    }
}

package dev.ferry.edge.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
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
        assertArrayEquals(new byte[] {1, 2}, (byte[]) ch.readInbound());
        assertArrayEquals(big, (byte[]) ch.readInbound());
        assertNull(ch.readInbound());
        assertEquals(2, VarintFrameDecoder.prefixLength(300));
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

package dev.ferry.edge.rendezvous;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a TCP byte stream into varint32-length-prefixed frames (protobuf's delimited framing).
 * Emits each frame as a retained {@link ByteBuf}, or one {@link Malformed} (after which all further
 * input is discarded): {@code bad_length} for a varint longer than 5 bytes, {@code oversize} for a
 * length above the bound, {@code truncated} when the stream ends inside a frame. Never throws on
 * input; buffers at most one frame (≤ 5 + maxFrame bytes plus what one read brings).
 */
final class DelimitedFrameDecoder extends ByteToMessageDecoder {
    /** A framing error; the connection should be closed. */
    record Malformed(String reason) { }

    private final int maxFrame;
    private boolean failed;

    DelimitedFrameDecoder(int maxFrame) {
        this.maxFrame = maxFrame;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int start = in.readerIndex();
        long length = 0;
        int i = 0;
        while (true) {
            if (!in.isReadable()) {
                in.readerIndex(start);
                return;
            }
            byte b = in.readByte();
            length |= (long) (b & 0x7f) << (7 * i);
            i++;
            if (b >= 0) {
                break;
            }
            if (i == 5) {
                fail(in, out, "bad_length");
                return;
            }
        }
        if (length > maxFrame) {
            fail(in, out, "oversize");
            return;
        }
        if (in.readableBytes() < length) {
            in.readerIndex(start);
            return;
        }
        out.add(in.readRetainedSlice((int) length));
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (!failed && in.isReadable()) {
            decode(ctx, in, out);
            if (in.isReadable() && !failed) {
                fail(in, out, "truncated");
            }
        }
    }

    private void fail(ByteBuf in, List<Object> out, String reason) {
        failed = true;
        in.skipBytes(in.readableBytes());
        out.add(new Malformed(reason));
    }
}

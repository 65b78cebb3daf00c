package dev.ferry.edge.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a TCP byte stream into envelopes, each preceded by its length as a protobuf varint32
 * (as {@code writeDelimitedTo} writes it). Emits the whole envelopes found in one read together,
 * as one {@link Frames} (a socket read of small envelopes holds hundreds: one pipeline event for
 * all of them).
 *
 * <p>Unlike Netty's {@code ProtobufVarint32FrameDecoder} this one has a limit: a length over
 * {@code maxFrame}, a zero length or a malformed varint is a framing error — the stream cannot be
 * resynchronised, so the decoder emits the frames before it, then one {@link Garbage}, and
 * discards everything after it until the connection is closed (which the transport does on
 * seeing the Garbage).
 */
public final class VarintFrameDecoder extends ByteToMessageDecoder {
    /** Whole envelopes, in stream order; never empty. */
    public record Frames(List<byte[]> frames) { }

    /** A framing error; the connection must be reset. */
    public record Garbage(String reason) { }

    private enum State { LENGTH, BROKEN }

    private final int maxFrame;
    private State state = State.LENGTH;

    public VarintFrameDecoder(int maxFrame) {
        if (maxFrame < 1) {
            throw new IllegalArgumentException("maxFrame must be positive: " + maxFrame);
        }
        this.maxFrame = maxFrame;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        List<byte[]> frames = null;
        String error = null;
        while (state == State.LENGTH && in.isReadable()) {
            int start = in.readerIndex();
            long length = 0;
            int shift = 0;
            boolean complete = false;
            while (in.isReadable()) {
                byte b = in.readByte();
                length |= (long) (b & 0x7F) << shift;
                shift += 7;
                if ((b & 0x80) == 0) {
                    complete = true;
                    break;
                }
                if (shift >= 35) {
                    break;
                }
            }
            if (!complete && shift >= 35) {
                error = "malformed length prefix";
            } else if (complete && (length == 0 || length > maxFrame)) {
                error = "frame length " + length + " outside 1.." + maxFrame;
            }
            if (error != null) {
                state = State.BROKEN;
                break;
            }
            if (!complete || in.readableBytes() < length) {
                in.readerIndex(start);
                break;
            }
            byte[] frame = new byte[(int) length];
            in.readBytes(frame);
            if (frames == null) {
                frames = new ArrayList<>();
            }
            frames.add(frame);
        }
        if (frames != null) {
            out.add(new Frames(frames));
        }
        if (error != null) {
            out.add(new Garbage(error));
        }
        if (state == State.BROKEN) {
            in.skipBytes(in.readableBytes());
        }
    }

    /** Bytes of the varint32 length prefix of {@code length}. */
    public static int prefixLength(int length) {
        int n = 1;
        while ((length & ~0x7F) != 0) {
            length >>>= 7;
            n++;
        }
        return n;
    }

    /** Writes {@code frame} with its length prefix into {@code out}. */
    public static void writeFrame(ByteBuf out, byte[] frame) {
        int v = frame.length;
        while ((v & ~0x7F) != 0) {
            out.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
        out.writeBytes(frame);
    }
}

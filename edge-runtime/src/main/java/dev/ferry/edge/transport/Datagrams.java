package dev.ferry.edge.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

/** Binding a UDP socket for a datagram transport (plain UDP, RAET): one place for the options. */
public final class Datagrams {
    private Datagrams() { }

    /**
     * A datagram channel bound to {@code local} with {@code buffer}-byte kernel buffers, any
     * datagram up to 64 KiB received whole, and {@code handler} on its pipeline.
     *
     * @throws UncheckedIOException naming {@code what} and the address when it cannot be bound
     */
    public static Channel bind(EventLoopGroup group, InetSocketAddress local, int buffer, ChannelHandler handler,
                               String what) {
        Bootstrap b = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, buffer)
                .option(ChannelOption.SO_SNDBUF, buffer)
                .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(65536))
                .handler(handler);
        try {
            return b.bind(local).sync().channel();
        } catch (Exception e) {
            throw new UncheckedIOException(new IOException("cannot bind " + what + " " + local + ": "
                    + e.getMessage(), e));
        }
    }
}

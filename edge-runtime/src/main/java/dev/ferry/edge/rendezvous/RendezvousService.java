package dev.ferry.edge.rendezvous;

import dev.ferry.edge.config.HostPort;
import dev.ferry.edge.config.RendezvousConfig;
import dev.ferry.edge.metrics.Metrics;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.tinylog.Logger;

/**
 * The rendezvous service (seed 002) on TCP: each connection is one peer speaking delimited
 * {@code rendezvous.pb.Message}s (RENDEZVOUS.md). State lives in {@link #registry()}, which the
 * gateway's own devices may also use directly ({@link LocalRegistrar}). At most
 * {@code maxConnections} connections are served; more are closed at once and counted.
 * {@link #close()} closes every connection (their registrations go) and frees the port.
 */
public final class RendezvousService implements AutoCloseable {
    /** Connections served at once unless told otherwise. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;

    private final RendezvousRegistry registry;
    private final EventLoopGroup group;
    private final Channel server;
    private final ChannelGroup children;

    private RendezvousService(RendezvousRegistry registry, EventLoopGroup group, Channel server,
            ChannelGroup children) {
        this.registry = registry;
        this.group = group;
        this.server = server;
        this.children = children;
    }

    /** Starts a service on {@code config.listen()} with the config's bounds. */
    public static RendezvousService start(RendezvousConfig config, Metrics metrics) throws IOException {
        return start(config.listen(), RendezvousLimits.from(config), DEFAULT_MAX_CONNECTIONS, metrics);
    }

    /**
     * Starts a service listening on {@code listen} (port 0: any free port, see {@link #localAddress}).
     *
     * @throws IOException when the address cannot be bound
     */
    public static RendezvousService start(HostPort listen, RendezvousLimits limits, int maxConnections,
            Metrics metrics) throws IOException {
        RendezvousRegistry registry = new RendezvousRegistry(limits, metrics);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        AtomicInteger open = new AtomicInteger();
        ChannelGroup children = new DefaultChannelGroup("rendezvous", GlobalEventExecutor.INSTANCE);
        metrics.gauge("ferry_rendezvous_connections", open::get);
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // a connection's outbox stops writing past 64 KiB unsent (SubscriberOutbox)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(16 * 1024, 64 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (open.incrementAndGet() > maxConnections) {
                            open.decrementAndGet();
                            metrics.inc("ferry_rendezvous_refused_total", "reason", "connections");
                            ch.close();
                            return;
                        }
                        ch.closeFuture().addListener(f -> open.decrementAndGet());
                        children.add(ch);             // removed again when it closes
                        ch.pipeline().addLast(new DelimitedFrameDecoder(limits.maxMessageBytes()),
                                new ServiceConnection(registry, metrics));
                    }
                });
        ChannelFuture bound = b.bind(listen.host(), listen.port()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("rendezvous: cannot listen on " + listen + ": " + bound.cause().getMessage(),
                    bound.cause());
        }
        RendezvousService s = new RendezvousService(registry, group, bound.channel(), children);
        Logger.info("rendezvous: listening on {}", s.localAddress());
        return s;
    }

    /** The bound address (the real port when started with port 0). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    /** The service's state, shared by all connections and any in-process registrar. */
    public RendezvousRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        children.close().awaitUninterruptibly();      // the group's shutdown alone did not always close them
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}

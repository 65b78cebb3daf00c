package dev.ferry.edge.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * RESI over TCP, length-delimited (varint32 prefix, {@link VarintFrameDecoder}).
 *
 * <pre>
 *   socket ── VarintFrameDecoder(maxFrame) ── Inbound ── Receiver.onEnvelopes (per read) / onGarbage
 *   send() ── OutboundQueue (bounded, coalesced) ── length prefix, packed in 8 KiB chunks ── socket
 * </pre>
 *
 * <p>{@link Role#CONNECT}: connects from its own local address ({@code bind}, any port) and
 * reconnects after a drop with capped exponential back-off (100 ms doubling to
 * {@code reconnectMaxMs}; back to 100 ms once the path was healthy, see {@link #healthy()}: a
 * restored path is found again at once, however long the outage before the last one was). {@link Role#LISTEN}: binds
 * in {@link #start()} (throwing {@link UncheckedIOException} if it cannot) and accepts the peer;
 * a newer connection replaces the current one (trusted LAN, known topology — the peer link's
 * handshake checks who it is). On garbage the connection is closed cleanly.
 */
public final class TcpTransport extends TransportBase {
    /** Whether this side connects or accepts. */
    public enum Role { CONNECT, LISTEN }

    private static final long BACKOFF_START_MS = 100;
    private static final int CHUNK = 8192;
    /**
     * Socket reads per channel per event-loop turn. Netty's default (16 reads of up to 64 KiB)
     * lets a busy stream keep the loop away from its queued writes for milliseconds: a peer
     * link's acks then leave in bursts and the sender stalls on a full resend buffer.
     */
    private static final int READS_PER_TURN = 1;

    private final Role role;
    private final InetSocketAddress address;
    private final Optional<String> bind;
    private final int reconnectMaxMs;
    private final EventLoopGroup group;
    private final int maxFrame;
    private final OutboundQueue out;
    private final FrameSink frames = new FrameSink();
    private volatile Channel active;
    private volatile Channel server;
    private volatile boolean stopped;
    private long backoffMs = BACKOFF_START_MS;

    /**
     * @param address  remote address (CONNECT) or local listening address (LISTEN), resolved
     * @param bind     local host to bind outgoing connections to (CONNECT only)
     * @param maxFrame longest envelope accepted and sent
     */
    public TcpTransport(int index, Role role, InetSocketAddress address, Optional<String> bind,
                        int reconnectMaxMs, EventLoopGroup group, int maxFrame, long maxQueuedBytes) {
        super(index);
        this.role = Objects.requireNonNull(role, "role");
        this.address = Objects.requireNonNull(address, "address");
        this.bind = Objects.requireNonNull(bind, "bind");
        this.reconnectMaxMs = reconnectMaxMs;
        this.group = Objects.requireNonNull(group, "group");
        this.maxFrame = maxFrame;
        this.out = new OutboundQueue(maxQueuedBytes);
    }

    @Override
    public String name() {
        return "tcp-" + (role == Role.CONNECT ? "connect " : "listen ") + address.getHostString() + ":"
                + (role == Role.LISTEN && server != null ? localAddress().map(InetSocketAddress::getPort).orElse(0)
                : address.getPort());
    }

    @Override
    public void start() {
        markStarted();
        setState(State.CONNECTING, "starting");
        if (role == Role.CONNECT) {
            connect();
        } else {
            listen();
        }
    }

    private void connect() {
        if (stopped) {
            return;
        }
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.max(1000, reconnectMaxMs))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                .handler(initializer());
        bind.ifPresent(h -> b.localAddress(new InetSocketAddress(h, 0)));
        b.connect(address).addListener(f -> {
            if (!f.isSuccess()) {
                Logger.debug("{}: connect failed: {}", name(), f.cause().toString());
                scheduleReconnect();
            }
        });
    }

    private void listen() {
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                .childHandler(initializer());
        try {
            server = b.bind(address).sync().channel();
        } catch (Exception e) {
            setState(State.DOWN, "cannot listen: " + e);
            throw new UncheckedIOException(new IOException("cannot listen on " + address + ": " + e.getMessage(), e));
        }
        Logger.info("{}: listening", name());
    }

    private ChannelInitializer<SocketChannel> initializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.config().setRecvByteBufAllocator(new AdaptiveRecvByteBufAllocator().maxMessagesPerRead(READS_PER_TURN));
                ch.pipeline().addLast(new VarintFrameDecoder(maxFrame), new Inbound());
            }
        };
    }

    private void activate(Channel ch) {
        Channel old;
        synchronized (this) {
            if (stopped) {
                ch.close();
                return;
            }
            old = active;
            active = ch;
            out.clear();
        }
        if (old != null && old != ch) {
            Logger.info("{}: new connection from {} replaces {}", name(), ch.remoteAddress(), old.remoteAddress());
            old.close();
        }
        ch.closeFuture().addListener(f -> closed(ch));
        setState(State.UP, "connected " + ch.localAddress() + " -> " + ch.remoteAddress());
    }

    private void closed(Channel ch) {
        synchronized (this) {
            if (active != ch) {
                return;
            }
            active = null;
            out.clear();
        }
        if (stopped) {
            setState(State.DOWN, "stopped");
            return;
        }
        setState(State.CONNECTING, "connection closed");
        if (role == Role.CONNECT) {
            scheduleReconnect();
        }
    }

    private synchronized void scheduleReconnect() {
        if (stopped) {
            return;
        }
        long delay = backoffMs;
        backoffMs = Math.min(reconnectMaxMs, backoffMs * 2);
        group.next().schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /** The path was healthy: the next reconnect waits the minimum (a connection alone does not count). */
    @Override
    public synchronized void healthy() {
        backoffMs = BACKOFF_START_MS;
    }

    @Override
    public void stop() {
        Channel a;
        Channel s;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            a = active;
            s = server;
        }
        if (s != null) {
            s.close().syncUninterruptibly();
        }
        if (a != null) {
            a.close().syncUninterruptibly();
        }
        changeState(State.DOWN, "stopped");
    }

    @Override
    protected boolean offer(byte[] envelope) {
        requireStarted();
        Channel ch = active;
        if (ch == null || state() != State.UP || envelope.length > maxFrame) {
            return false;
        }
        return out.offer(ch, envelope, frames);
    }

    /**
     * Packs a batch's frames into buffers of at least {@link #CHUNK} bytes: one channel write per
     * chunk instead of one per envelope (small envelopes are the common case). Event loop only.
     */
    private static final class FrameSink implements OutboundQueue.Sink {
        private ByteBuf chunk;

        @Override
        public void write(Channel ch, byte[] envelope) {
            int need = VarintFrameDecoder.prefixLength(envelope.length) + envelope.length;
            if (chunk != null && chunk.writableBytes() < need) {
                endBatch(ch);
            }
            if (chunk == null) {
                chunk = ch.alloc().ioBuffer(Math.max(CHUNK, need));
            }
            VarintFrameDecoder.writeFrame(chunk, envelope);
        }

        @Override
        public void endBatch(Channel ch) {
            if (chunk != null) {
                ch.write(chunk, ch.voidPromise());
                chunk = null;
            }
        }
    }

    @Override
    public void reset(String reason) {
        Channel ch = active;
        if (ch != null) {
            Logger.info("{}: closing connection: {}", name(), reason);
            ch.close();
        }
    }

    @Override
    public boolean isStream() {
        return true;
    }

    @Override
    public Optional<InetSocketAddress> localAddress() {
        Channel ch = role == Role.LISTEN ? server : active;
        return boundAddress(ch);
    }

    /**
     * Frames and garbage from the decoder; only the active connection's frames count. The frames
     * of one socket read arrive together and are handed over together.
     */
    private final class Inbound extends SimpleChannelInboundHandler<Object> {
        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            activate(ctx.channel());
            super.channelActive(ctx);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (ctx.channel() != active) {
                return;
            }
            if (msg instanceof VarintFrameDecoder.Frames f) {
                receiver().onEnvelopes(TcpTransport.this, f.frames());
            } else if (msg instanceof VarintFrameDecoder.Garbage g) {
                receiver().onGarbage(TcpTransport.this, g.reason());
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Logger.warn("{}: closing connection after {}", name(), cause.toString());
            ctx.close();
        }
    }
}

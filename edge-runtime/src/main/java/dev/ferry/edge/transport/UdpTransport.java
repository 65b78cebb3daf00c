package dev.ferry.edge.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.tinylog.Logger;

/**
 * RESI over plain UDP: one envelope per datagram, segmented by {@link UdpFragments} when longer
 * than {@code datagramSize}. No delivery guarantee (the peer link's acknowledgement and resend
 * give that); a later reliable secure transport (RAET) replaces it behind the same interface.
 *
 * <pre>
 *   socket (bound in start()) ── Inbound ── Reassembler ── Receiver.onEnvelope / onGarbage
 *   send() ── OutboundQueue ── UdpFragments.split ── DatagramPacket(remote)
 * </pre>
 *
 * A connecting transport sends to its configured remote and is UP once bound; a listening one
 * learns the remote from the last well-formed datagram and is UP from then on. {@link #reset}
 * makes a listening transport forget the remote.
 */
public final class UdpTransport extends TransportBase {
    private final boolean listening;
    private final InetSocketAddress localBind;
    private final int datagramSize;
    private final EventLoopGroup group;
    private final OutboundQueue out;
    private final UdpFragments.Reassembler reassembler;
    private final AtomicInteger nextId = new AtomicInteger();
    private volatile InetSocketAddress remote;
    private volatile Channel channel;

    /**
     * @param remote     where to send (null for a listening transport, which learns it)
     * @param localBind  the local address to bind (listen address, or bind host with port 0)
     */
    public UdpTransport(int index, InetSocketAddress remote, InetSocketAddress localBind, int datagramSize,
                        int maxEnvelope, EventLoopGroup group, long maxQueuedBytes) {
        super(index);
        if (datagramSize < 64 || datagramSize > 65507) {
            throw new IllegalArgumentException("datagram size outside 64..65507: " + datagramSize);
        }
        this.listening = remote == null;
        this.remote = remote;
        this.localBind = Objects.requireNonNull(localBind, "localBind");
        this.datagramSize = datagramSize;
        this.group = Objects.requireNonNull(group, "group");
        this.out = new OutboundQueue(maxQueuedBytes);
        this.reassembler = new UdpFragments.Reassembler(16, maxEnvelope, TimeUnit.SECONDS.toNanos(2));
    }

    @Override
    public String name() {
        InetSocketAddress r = remote;
        return listening ? "udp-listen " + localAddress().orElse(localBind)
                : "udp-connect " + r.getHostString() + ":" + r.getPort();
    }

    @Override
    public void start() {
        markStarted();
        try {
            channel = Datagrams.bind(group, localBind, 1 << 20, new Inbound(), "UDP");
        } catch (UncheckedIOException e) {
            changeState(State.DOWN, "cannot bind: " + e.getCause().getMessage());
            throw e;
        }
        Logger.info("{}: bound {}", name(), channel.localAddress());
        if (listening) {
            changeState(State.CONNECTING, "waiting for the peer's first datagram");
        } else {
            changeState(State.UP, "bound");
        }
    }

    @Override
    public void stop() {
        Channel ch = channel;
        if (ch != null && ch.isOpen()) {
            ch.close().syncUninterruptibly();
        }
        out.clear();
        stopped();
    }

    @Override
    protected boolean offer(byte[] envelope) {
        requireStarted();
        Channel ch = channel;
        if (ch == null || state() != State.UP || remote == null) {
            return false;
        }
        return out.offer(ch, envelope, this::write);
    }

    private void write(Channel ch, byte[] envelope) {
        InetSocketAddress to = remote;
        if (to == null) {
            return;
        }
        for (byte[] d : UdpFragments.split(envelope, datagramSize, nextId.incrementAndGet())) {
            ByteBuf buf = ch.alloc().ioBuffer(d.length).writeBytes(d);
            ch.write(new DatagramPacket(buf, to), ch.voidPromise());
        }
    }

    @Override
    public void reset(String reason) {
        if (listening && remote != null) {
            Logger.info("{}: forgetting peer {}: {}", name(), remote, reason);
            remote = null;
            changeState(State.CONNECTING, reason);
        }
    }

    @Override
    public boolean isStream() {
        return false;
    }

    @Override
    public Optional<InetSocketAddress> localAddress() {
        Channel ch = channel;
        return boundAddress(ch);
    }

    private final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
            ByteBuf c = p.content();
            byte[] d = new byte[c.readableBytes()];
            c.getBytes(c.readerIndex(), d);
            UdpFragments.Outcome o = reassembler.accept(d, d.length, System.nanoTime());
            if (o.isError()) {
                receiver().onGarbage(UdpTransport.this, o.error() + " from " + p.sender());
                return;
            }
            if (listening && !p.sender().equals(remote)) {
                remote = p.sender();
                Logger.info("{}: peer is {}", name(), remote);
                changeState(State.UP, "datagram from " + remote);
            }
            if (o.isEnvelope()) {
                receiver().onEnvelope(UdpTransport.this, o.envelope());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Logger.warn("{}: {}", name(), cause.toString());
        }
    }
}

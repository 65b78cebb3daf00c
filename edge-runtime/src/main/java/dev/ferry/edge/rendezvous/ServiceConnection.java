package dev.ferry.edge.rendezvous;

import dev.ferry.edge.metrics.Metrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Locale;
import org.tinylog.Logger;

/**
 * One client connection of the {@link RendezvousService}: decodes its messages, acts on its
 * registry session, and is that session's {@link RendezvousRegistry.Sink}. At most
 * {@code subscriberQueue} messages wait for the socket ({@link SubscriberOutbox}); one more cuts
 * the connection off.
 */
final class ServiceConnection extends ChannelInboundHandlerAdapter implements RendezvousRegistry.Sink {
    private final RendezvousRegistry registry;
    private final Metrics metrics;
    private volatile Channel channel;
    private volatile SubscriberOutbox outbox;
    private RendezvousRegistry.Session session;

    ServiceConnection(RendezvousRegistry registry, Metrics metrics) {
        this.registry = registry;
        this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        outbox = new SubscriberOutbox(channel, registry.limits().subscriberQueue());
        session = registry.open(this, false);
        metrics.inc("ferry_rendezvous_connections_total");
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (session != null) {
            session.close();
        }
        if (outbox != null) {
            outbox.close();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && outbox != null) {
            outbox.drain();                  // the socket took the backlog: write what waits
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof DelimitedFrameDecoder.Malformed bad) {
            malformed(bad.reason());
            return;
        }
        ByteBuf frame = (ByteBuf) msg;
        RendezvousWire.Parsed p;
        try {
            p = RendezvousWire.decode(ByteBufUtil.getBytes(frame), registry.limits());
        } finally {
            frame.release();
        }
        if (!p.ok()) {
            malformed(p.problem());
            return;
        }
        RendezvousMessage m = p.message();
        if (channel.isActive()) {
            metrics.inc("ferry_rendezvous_received_total", "type", m.type().name().toLowerCase(Locale.ROOT));
            dispatch(m);
        }
    }

    private void dispatch(RendezvousMessage m) {
        switch (m.type()) {
            case REGISTER -> m.register().forEach(r -> {
                RendezvousRegistry.Refusal why = session.register(r);
                if (why != null && why != RendezvousRegistry.Refusal.CLOSED) {
                    Logger.debug("rendezvous: {} refused {} in {}: {}", label(), r.id(), r.ns(), why);
                    session.reply(RendezvousMessage.unregister(r.ns(), r.id()));
                }
            });
            case UNREGISTER -> m.unregister().forEach(u -> session.unregister(u.ns(), u.id()));
            case RENDEZVOUS -> m.rendezvous().forEach(session::enter);
            case DISCOVER -> m.discover().forEach(session::answerDiscover);
        }
    }

    private void malformed(String reason) {
        metrics.inc("ferry_rendezvous_malformed_total", "reason", reason);
        Logger.info("rendezvous: closing {}: malformed input ({})", label(), reason);
        channel.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        metrics.inc("ferry_rendezvous_connection_errors_total");
        Logger.debug("rendezvous: {} failed: {}", label(), cause.toString());
        ctx.close();
    }

    @Override
    public boolean send(RendezvousMessage m, byte[] wire) {
        Channel ch = channel;
        SubscriberOutbox out = outbox;
        if (ch == null || out == null || !ch.isActive()) {
            return true;                 // going away: its session closes on channelInactive
        }
        return out.offer(wire);
    }

    @Override
    public void cutOff(String reason) {
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    @Override
    public String label() {
        Channel ch = channel;
        return ch == null ? "rendezvous client" : String.valueOf(ch.remoteAddress());
    }
}

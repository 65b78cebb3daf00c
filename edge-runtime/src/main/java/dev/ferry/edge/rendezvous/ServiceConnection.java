package dev.ferry.edge.rendezvous;

import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.metrics.RemoteLog;
import dev.ferry.edge.security.CertificateNames;
import dev.ferry.edge.security.Grant;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import org.tinylog.Logger;

/**
 * One client connection of the {@link RendezvousService}: decodes its messages, acts on its
 * registry session, and is that session's {@link SessionSink}. At most
 * {@code subscriberQueue} messages wait for the socket ({@link SubscriberOutbox}); one more cuts
 * the connection off. What the connection may do is its {@link RendezvousGuard.Access}: everything
 * on loopback; beyond it, what the token in its messages or its client certificate grants.
 */
final class ServiceConnection extends ChannelInboundHandlerAdapter implements SessionSink {
    private final RendezvousRegistry registry;
    private final RendezvousGuard guard;
    private final Metrics metrics;
    private RendezvousGuard.Access access = RendezvousGuard.Access.NONE;
    private volatile Channel channel;
    private volatile SubscriberOutbox outbox;
    private RendezvousRegistry.Session session;

    ServiceConnection(RendezvousRegistry registry, RendezvousGuard guard, Metrics metrics) {
        this.registry = registry;
        this.guard = guard;
        this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        outbox = new SubscriberOutbox(channel, registry.limits().subscriberQueue());
        session = registry.open(this, false);
        if (guard.anonymousLoopback() && channel.remoteAddress() instanceof InetSocketAddress a
                && a.getAddress() != null && a.getAddress().isLoopbackAddress()) {
            access = RendezvousGuard.Access.ALL;
        }
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
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess() && access != RendezvousGuard.Access.ALL) {
            List<String> names = CertificateNames.of(ctx.channel());
            Grant g = names.isEmpty() ? null : guard.tokens().byCertificateName(names);
            if (g != null) {
                access = RendezvousGuard.Access.of(g);
            }
        }
        super.userEventTriggered(ctx, evt);
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
        if (m.token() != null && !authenticate(m.token())) {
            return;
        }
        if (channel.isActive()) {
            metrics.inc("ferry_rendezvous_received_total", "type", m.type().name().toLowerCase(Locale.ROOT));
            dispatch(m);
        }
    }

    private void dispatch(RendezvousMessage m) {
        switch (m.type()) {
            case REGISTER -> m.register().forEach(r -> {
                if (!access.mayRegister(r.ns())) {
                    metrics.inc("ferry_rendezvous_refused_total", "reason", "unauthorized");
                    RemoteLog.info("rendezvous:unauthorized", "rendezvous: {} ({}) may not register in {}", label(),
                            access.name(), RemoteLog.excerpt(r.ns()));
                    session.reply(RendezvousMessage.unregister(r.ns(), r.id()));
                    return;
                }
                Refusal why = session.register(r);
                if (why != null && why != Refusal.CLOSED) {
                    Logger.debug("rendezvous: {} refused {} in {}: {}", label(), r.id(), r.ns(), why);
                    session.reply(RendezvousMessage.unregister(r.ns(), r.id()));
                }
            });
            case UNREGISTER -> m.unregister().forEach(u -> session.unregister(u.ns(), u.id()));
            case RENDEZVOUS -> {
                if (mayDiscover(m.rendezvous())) {
                    m.rendezvous().forEach(session::enter);
                }
            }
            case DISCOVER -> {
                if (mayDiscover(m.discover())) {
                    m.discover().forEach(session::answerDiscover);
                }
            }
        }
    }

    /** True when every namespace may be entered/discovered; otherwise the connection is closed. */
    private boolean mayDiscover(List<String> namespaces) {
        for (String ns : namespaces) {
            if (!access.mayDiscover(ns, guard.publicDiscovery())) {
                refuse("unauthorized", access.name() + " may not discover " + RemoteLog.excerpt(ns));
                return false;
            }
        }
        return true;
    }

    /** A message's token: the connection becomes that principal; an unknown token closes it. */
    private boolean authenticate(String token) {
        if (access == RendezvousGuard.Access.ALL) {
            return true;                              // loopback: already trusted
        }
        Grant g = guard.tokens().byToken(token);
        if (g == null) {
            refuse("invalid_token", "unknown or revoked token");
            return false;
        }
        access = RendezvousGuard.Access.of(g);
        return true;
    }

    private void refuse(String reason, String detail) {
        metrics.inc("ferry_rendezvous_refused_total", "reason", reason);
        RemoteLog.info("rendezvous:" + reason, "rendezvous: closing {}: {}", label(), detail);
        channel.close();
    }

    private void malformed(String reason) {
        metrics.inc("ferry_rendezvous_malformed_total", "reason", reason);
        RemoteLog.info("rendezvous:malformed", "rendezvous: closing {}: malformed input ({})", label(), reason);
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

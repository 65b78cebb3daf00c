package dev.ferry.edge.http;

import dev.ferry.edge.route.Meta;
import dev.ferry.edge.route.Paths;
import dev.ferry.edge.route.Principal;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Decoded;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.tinylog.Logger;

/**
 * A WebSocket carrying RP messages as JSON text frames ({@link WsJson}), many streams at once.
 * The client's {@code from} paths are its own: the facade puts {@code /<conn>} in front before
 * routing and takes it off again on the way back, so replies arrive with {@code to} = the
 * client's {@code from}. Open streams per socket are bounded; closing the socket cancels the
 * ones still running. A bad frame gets {@code {"error":..,"detail":..}} and the socket stays open.
 * Every message travels with the principal authenticated at the upgrade. Nothing is written to a
 * client that does not read: past the write buffer's high-water mark it is cut off (counted).
 */
final class WebSocketHandler extends ChannelInboundHandlerAdapter implements ConnectionSink {
    /** Marks a stream whose first reply has not come yet. */
    private static final Path PENDING = Path.ROOT;

    private final LanFacade facade;
    private final Connection conn;
    private final WebSocketServerHandshaker handshaker;
    private final Principal who;
    /** Client return path → stream path (PENDING before the first reply). */
    private final Map<Path, Path> streams = new HashMap<>();
    private ChannelHandlerContext ctx;

    WebSocketHandler(LanFacade facade, Connection conn, WebSocketServerHandshaker handshaker, Principal who) {
        this.facade = facade;
        this.conn = conn;
        this.handshaker = handshaker;
        this.who = who;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext c) {
        this.ctx = c;
    }

    @Override
    public void channelRead(ChannelHandlerContext c, Object msg) {
        try {
            if (msg instanceof TextWebSocketFrame t) {
                onText(t.text());
            } else if (msg instanceof CloseWebSocketFrame close) {
                handshaker.close(c.channel(), close.retain());
            } else if (msg instanceof PingWebSocketFrame ping) {
                if (facade.writable(c.channel())) {
                    c.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
                }
            } else if (msg instanceof WebSocketFrame && !(msg instanceof PongWebSocketFrame)) {
                badFrame("bad_frame", "only JSON text frames are understood");
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onText(String text) {
        facade.metrics().inc("ferry_http_ws_frames_in_total");
        WsJson.Result r = WsJson.decode(facade.json(), text);
        if (r.error() != null) {
            badFrame("bad_json", r.error());
            return;
        }
        Message m = r.message();
        Decoded<Path> from = Paths.under(conn.prefix, m.from());
        if (!from.isOk()) {
            badFrame("bad_path", "from path too long: " + m.from());
            return;
        }
        boolean request = m.verb() != Verb.REP && m.verb() != Verb.ERROR;
        if (request && !streams.containsKey(m.from())) {
            if (streams.size() >= facade.config().maxStreamsPerConnection()) {
                facade.drop("ws_streams_full", "connection " + conn.id + " has "
                        + streams.size() + " open streams");
                Message err = Message.builder(Verb.ERROR, m.from(), LanFacade.MOUNT).status(503)
                        .body(BodyType.TEXT, "too many open streams on this socket".getBytes(StandardCharsets.UTF_8))
                        .build();
                write(WsJson.encode(facade.json(), err, m.from()));
                return;
            }
            streams.put(m.from(), PENDING);
        }
        Message.Builder b = Message.builder(m.verb(), m.to(), from.value()).eof(m.eof());
        m.flow().ifPresent(b::flow);
        if (m.verb().hasStatus()) {
            b.status(m.status());
        }
        if (m.bodyLength() > 0) {
            b.body(m.bodyType().orElse(null), m.body());
        }
        Meta meta = Meta.of(who);
        facade.send(b.build(), r.maxAgeMs() < 0 && !r.acceptStale() ? meta : meta.withCache(r.maxAgeMs(), r.acceptStale()));
    }

    private void badFrame(String reason, String detail) {
        facade.drop(reason, "WebSocket connection " + conn.id + ": " + detail);
        write(WsJson.error(facade.json(), reason, detail));
    }

    @Override
    public void onMessage(Path rest, Message m) {
        onMessage(rest, m, null);
    }

    @Override
    public void onMessage(Path rest, Message m, Meta meta) {
        if (!ctx.channel().isActive()) {
            facade.orphan(m, "client_gone");
            return;
        }
        Path known = streams.get(rest);
        if (m.eof() || m.verb() == Verb.ERROR) {
            streams.remove(rest);
        } else if (known != null) {
            streams.put(rest, m.from());
        }
        facade.metrics().inc("ferry_http_ws_frames_out_total");
        write(WsJson.encode(facade.json(), m, rest, meta));
    }

    /** Writes a frame unless the client stopped reading (then it is cut off, counted, see LanFacade#writable). */
    private void write(String json) {
        if (facade.writable(ctx.channel())) {
            ctx.writeAndFlush(new TextWebSocketFrame(json));
        }
    }

    private void cancelStreams() {
        for (Path stream : streams.values()) {
            if (stream != PENDING) {
                facade.cancel(stream, who);
            }
        }
        streams.clear();
    }

    @Override
    public void shutdown() {
        cancelStreams();
        ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "server closing"))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext c) throws Exception {
        if (!streams.isEmpty()) {
            Logger.debug("lan: WebSocket {} closed with {} streams open", conn.id, streams.size());
        }
        cancelStreams();
        super.channelInactive(c);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext c, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (facade.writable(c.channel())) {
                c.writeAndFlush(new PingWebSocketFrame());
            }
            return;
        }
        super.userEventTriggered(c, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
        Logger.debug("lan: WebSocket {} failed: {}", conn.id, cause.toString());
        c.close();
    }
}

package dev.ferry.edge.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Deadlines for reading one request, so that a client sending a byte every few seconds
 * (slowloris) is closed in bounded time: an idle timeout alone restarts with every byte.
 *
 * <pre>
 *   socket ─ [tls] ─ wire() ─ HttpServerCodec ─ messages() ─ aggregator ─ HttpHandler
 *                     │ first byte of a request: header deadline starts (never restarted by bytes)
 *                     │ (and when the connection opens: the TLS handshake and first request count)
 *                                                │ request head decoded: body deadline starts
 *                                                │ last content decoded: no deadline until the next byte
 * </pre>
 *
 * On expiry the connection gets {@code 408 Request Timeout} (when no response is under way) and is
 * closed; the facade counts it ({@code ferry_http_dropped_total{reason="header_timeout"|"body_timeout"}}).
 * After a WebSocket upgrade the same pair bounds each message: a frame started must be finished
 * (its final fragment decoded) within the body deadline. Between requests nothing is armed; the
 * idle timeout closes a connection that stays silent. One instance per connection, event loop only.
 */
final class RequestDeadline {
    /** Pipeline names of the two handlers. */
    static final String WIRE = "deadline-wire";
    static final String MESSAGES = "deadline-messages";

    private enum Phase { NONE, HEADERS, BODY }

    private final LanFacade facade;
    private final long headerMs;
    private final long bodyMs;
    private Phase phase = Phase.NONE;
    private ScheduledFuture<?> timer;
    private ChannelHandlerContext out;      // the context after the codec, where a 408 is written
    private int responsesOwed;              // whole requests handed on whose response has not ended

    RequestDeadline(LanFacade facade, long headerMs, long bodyMs) {
        this.facade = facade;
        this.headerMs = headerMs;
        this.bodyMs = bodyMs;
    }

    /** Adds both handlers around the codec named {@code codec} (already in the pipeline). */
    void install(ChannelPipeline p, String codec) {
        p.addBefore(codec, WIRE, new Wire());
        p.addAfter(codec, MESSAGES, new Messages());
    }

    private void arm(ChannelHandlerContext ctx, Phase next) {
        disarm();
        phase = next;
        long ms = next == Phase.HEADERS ? headerMs : bodyMs;
        timer = ctx.executor().schedule(() -> expired(ctx), ms, TimeUnit.MILLISECONDS);
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        phase = Phase.NONE;
    }

    private void expired(ChannelHandlerContext ctx) {
        if (timer == null || !ctx.channel().isActive()) {
            return;
        }
        String reason = phase == Phase.HEADERS ? "header_timeout" : "body_timeout";
        timer = null;
        facade.drop(reason, "closing connection from " + ctx.channel().remoteAddress() + ": request not complete within "
                + (phase == Phase.HEADERS ? headerMs : bodyMs) + " ms");
        if (out != null && responsesOwed == 0 && out.pipeline().get(HttpHandler.class) != null) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT);
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE).setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            out.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.channel().close();
        }
    }

    /** Before the codec: sees raw bytes, starts the header deadline. */
    private final class Wire extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            arm(ctx, Phase.HEADERS);
            super.channelActive(ctx);
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            if (ctx.channel().isActive()) {
                arm(ctx, Phase.HEADERS);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (phase == Phase.NONE && msg instanceof ByteBuf b && b.isReadable()) {
                arm(ctx, out != null && out.pipeline().get(HttpHandler.class) == null ? Phase.BODY : Phase.HEADERS);
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            disarm();
            super.channelInactive(ctx);
        }
    }

    /** After the codec: sees request heads and ends, and the responses going out. */
    private final class Messages extends ChannelDuplexHandler {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            out = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof LastHttpContent) {
                responsesOwed++;                      // a whole request went on: its response is owed
                disarm();
            } else if (msg instanceof HttpRequest) {
                arm(ctx, Phase.BODY);
            } else if (msg instanceof WebSocketFrame f && f.isFinalFragment()) {
                disarm();
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof LastHttpContent && responsesOwed > 0) {
                responsesOwed--;
            }
            ctx.write(msg, promise);
        }
    }
}

package dev.ferry.edge.http;

import dev.ferry.rp.BodyType;
import dev.ferry.rp.Decoded;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import org.tinylog.Logger;

/**
 * The HTTP side of one connection: serves the facade's own resources ({@code /} and
 * {@code /#ui/*} the status page, {@code /metrics}, {@code /#ws} and {@code /ws} the WebSocket
 * upgrade) and turns every other request into an RP request from {@code /<conn>/<n>}, one
 * {@link HttpExchange} at a time: HEAD and OPTIONS become a GET (of {@code #schema} for OPTIONS),
 * the query string becomes the body ({@link QueryBody}), {@code Accept: text/event-stream} or
 * {@code application/x-ndjson} makes a GET an observation (docs/http-api.md). Pipelined requests
 * wait in a bounded queue. Event loop only.
 */
final class HttpHandler extends ChannelInboundHandlerAdapter implements ConnectionSink {
    private final LanFacade facade;
    private final Connection conn;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private HttpExchange exchange;
    private long nextExchange;

    HttpHandler(LanFacade facade, Connection conn) {
        this.facade = facade;
        this.conn = conn;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext c) {
        this.ctx = c;
    }

    @Override
    public void channelRead(ChannelHandlerContext c, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (exchange != null) {
            if (waiting.size() >= facade.config().maxStreamsPerConnection()) {
                req.release();
                facade.drop("pipeline_full", "too many pipelined requests on connection " + conn.id);
                c.close();
            } else {
                waiting.add(req);
            }
            return;
        }
        try {
            handle(req);
        } finally {
            req.release();
        }
    }

    private void handle(FullHttpRequest req) {
        facade.metrics().inc("ferry_http_requests_total");
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (!req.decoderResult().isSuccess()) {
            facade.drop("bad_request", "malformed HTTP request: " + req.decoderResult().cause());
            Responses.text(ctx, 400, "malformed request\n", false);
            return;
        }
        HttpMapping.PathResult pr = HttpMapping.decodePath(req.uri());
        if (pr.error() != null) {
            facade.drop("bad_path", pr.error());
            Responses.text(ctx, 400, pr.error() + "\n", keepAlive);
            return;
        }
        String path = pr.path().toString();
        String method = req.method().name();
        boolean read = method.equals("GET") || method.equals("HEAD");   // HEAD: the codec drops the body
        StaticPages.Page page = facade.pages().lookup(path);
        if (page != null && read) {
            Responses.full(ctx, 200, page.contentType(), page.bytes(), keepAlive,
                    "Cache-Control", "no-cache");
        } else if (path.equals("/metrics") && read) {
            byte[] text = PrometheusText.format(facade.metrics().families()).getBytes(StandardCharsets.UTF_8);
            Responses.full(ctx, 200, PrometheusText.CONTENT_TYPE, text, keepAlive);
        } else if (path.equals("/ws") || path.equals("/#ws")) {
            upgrade(req);
        } else {
            request(req, pr.path(), keepAlive);
        }
    }

    private void request(FullHttpRequest req, Path to, boolean keepAlive) {
        String method = req.method().name();
        boolean head = method.equals("HEAD");
        boolean options = method.equals("OPTIONS");
        Verb verb = head || options ? Verb.GET : HttpMapping.verb(method);
        if (verb == null) {
            facade.drop("bad_method", req.method() + " " + to);
            Responses.full(ctx, 405, "text/plain; charset=utf-8",
                    "method not allowed\n".getBytes(StandardCharsets.UTF_8), keepAlive, "Allow", AllowHeader.ALL);
            return;
        }
        QueryBody.Result query = QueryBody.of(req.uri());
        String refused = query.error() != null ? query.error()
                : query.body() != null && req.content().isReadable()
                        ? "a request takes its parameter from the query string or from the body, not both" : null;
        if (refused != null) {
            facade.drop("bad_query", refused + ": " + to);
            Responses.text(ctx, 400, refused + "\n", keepAlive);
            return;
        }
        HttpExchange.Mode mode = options ? HttpExchange.Mode.OPTIONS : HttpExchange.Mode.PLAIN;
        if (method.equals("GET")) {
            String accept = req.headers().get(HttpHeaderNames.ACCEPT);
            mode = HttpMapping.wantsEventStream(accept) ? HttpExchange.Mode.SSE
                    : HttpMapping.wantsNdjson(accept) ? HttpExchange.Mode.NDJSON : mode;
        }
        Path rest = Path.of("/" + (++nextExchange));
        Path from = Path.of(conn.prefix + rest.toString());
        Message.Builder b;
        if (options) {
            Decoded<Path> schema = Path.parse(to + "#schema");
            if (!schema.isOk()) {
                Responses.text(ctx, 414, "path too long for OPTIONS (its #schema)\n", keepAlive);
                return;
            }
            b = Message.builder(Verb.GET, schema.value(), from);
        } else if (mode == HttpExchange.Mode.SSE || mode == HttpExchange.Mode.NDJSON) {
            facade.metrics().inc(mode == HttpExchange.Mode.SSE ? "ferry_http_sse_total" : "ferry_http_ndjson_total");
            b = facade.observeRequest(to, from).toBuilder();
        } else {
            b = Message.builder(verb, to, from);
        }
        if (!options && query.body() != null) {
            b.body(BodyType.JSON, query.body());
        } else if (!options && req.content().isReadable()) {   // an observation's parameter (a period) too
            BodyType type = HttpMapping.bodyType(req.headers().get(HttpHeaderNames.CONTENT_TYPE));
            b.body(type, ByteBufUtil.getBytes(req.content()));
        }
        exchange = new HttpExchange(ctx, facade, rest, to, conn.prefix.toString(), mode, head, keepAlive, this::exchangeDone);
        exchange.start();
        facade.send(b.build());   // an immediate ERROR from the router comes back through our event loop
    }

    private void exchangeDone() {
        exchange = null;
        while (exchange == null && !waiting.isEmpty() && ctx.channel().isActive()) {
            FullHttpRequest next = waiting.poll();
            try {
                handle(next);
            } finally {
                next.release();
            }
        }
    }

    private void upgrade(FullHttpRequest req) {
        if (!HttpHeaderValues.WEBSOCKET.contentEqualsIgnoreCase(req.headers().get(HttpHeaderNames.UPGRADE))) {
            Responses.text(ctx, 400, "WebSocket upgrade expected here\n", HttpUtil.isKeepAlive(req));
            return;
        }
        String url = "ws://" + req.headers().get(HttpHeaderNames.HOST, "localhost") + req.uri();
        WebSocketServerHandshaker hs = new WebSocketServerHandshakerFactory(url, null, false,
                facade.config().maxRequestBody()).newHandshaker(req);
        if (hs == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        facade.metrics().inc("ferry_http_websockets_total");
        WebSocketHandler ws = new WebSocketHandler(facade, conn, hs);
        ctx.pipeline().replace(this, "ws", ws);
        conn.sink(ws);
        hs.handshake(ctx.channel(), req).addListener(f -> {
            if (!f.isSuccess()) {
                Logger.warn("lan: WebSocket handshake failed on connection {}: {}", conn.id, f.cause());
                ctx.channel().close();
            }
        });
        ctx.pipeline().addBefore("ws", "ws-aggregate", new WebSocketFrameAggregator(facade.config().maxRequestBody()));
    }

    @Override
    public void onMessage(Path rest, Message m) {
        if (exchange != null && exchange.owns(rest)) {
            exchange.onReply(rest, m);
        } else {
            facade.orphan(m, "no_exchange");
        }
    }

    @Override
    public void shutdown() {
        if (exchange != null) {
            exchange.shutdown();
            exchange = null;
        }
        releaseWaiting();
    }

    @Override
    public void channelInactive(ChannelHandlerContext c) throws Exception {
        if (exchange != null) {
            exchange.clientGone();
            exchange = null;
        }
        releaseWaiting();
        super.channelInactive(c);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext c, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent && exchange == null) {
            Logger.debug("lan: closing idle connection {}", conn.id);
            c.close();
            return;
        }
        super.userEventTriggered(c, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
        Logger.debug("lan: connection {} failed: {}", conn.id, cause.toString());
        c.close();
    }

    private void releaseWaiting() {
        FullHttpRequest r;
        while ((r = waiting.poll()) != null) {
            r.release();
        }
    }
}

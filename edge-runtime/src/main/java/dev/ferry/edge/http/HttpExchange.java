package dev.ferry.edge.http;

import dev.ferry.edge.route.Meta;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * One RP exchange carried over one HTTP response, on the connection's event loop:
 *
 * <pre>
 *   plain: REP E1                → complete response (status 2xx/3xx as is, else 200)
 *          REP E0 … REP E1       → chunked response, one chunk per REP, ended at E1
 *          ERROR (first)         → its status (400..599, else 502) with the reason
 *          ERROR (mid-stream)    → connection closed (the status line is gone already)
 *   SSE:   head sent at once; REP → "id: n / data: …" event; ERROR → "event: error", end
 * </pre>
 *
 * The exchange learns its stream path (the reply's {@code from}) from the first reply; when the
 * client goes away before the stream ended, it cancels the stream with {@code DELETE}.
 */
final class HttpExchange {
    /** The exchange's local path, {@code /<n>}. */
    final Path rest;
    private final ChannelHandlerContext ctx;
    private final LanFacade facade;
    private final boolean sse;
    private final boolean keepAlive;
    private final Runnable onDone;
    private boolean headSent;
    private boolean done;
    private Path streamPath;
    private long eventId;
    private ScheduledFuture<?> timeout;
    private ScheduledFuture<?> heartbeat;
    /** The freshness of the reply being written (set by {@link #onReply(Message, Meta)}). */
    private Meta meta;

    HttpExchange(ChannelHandlerContext ctx, LanFacade facade, Path rest, boolean sse,
                 boolean keepAlive, Runnable onDone) {
        this.ctx = ctx;
        this.facade = facade;
        this.rest = rest;
        this.sse = sse;
        this.keepAlive = keepAlive;
        this.onDone = onDone;
    }

    /** Arms the request-timeout backstop; for SSE sends the head and starts the heartbeat. */
    void start() {
        long t = facade.config().requestTimeout().toMillis();
        timeout = ctx.executor().schedule(this::timedOut, t, TimeUnit.MILLISECONDS);
        if (sse) {
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                    .set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
            HttpUtil.setTransferEncodingChunked(head, true);
            Responses.keepAlive(head, keepAlive);
            ctx.writeAndFlush(head);
            headSent = true;
            long hb = facade.config().heartbeat().toMillis();
            heartbeat = ctx.executor().scheduleAtFixedRate(
                    () -> writeText(SseFormat.HEARTBEAT), hb, hb, TimeUnit.MILLISECONDS);
        }
    }

    boolean done() {
        return done;
    }

    /** A reply for this exchange. */
    void onReply(Message m) {
        onReply(m, null);
    }

    /** A reply for this exchange, with its freshness ({@link CacheHeaders}; null when none). */
    void onReply(Message m, Meta meta) {
        this.meta = meta;
        if (done) {
            facade.orphan(m, "exchange_ended");
            return;
        }
        timeout.cancel(false);
        if (m.verb() == Verb.REP && !m.eof()) {
            streamPath = m.from();
        }
        if (sse) {
            onSse(m);
        } else {
            onPlain(m);
        }
    }

    private void onPlain(Message m) {
        if (m.verb() == Verb.ERROR) {
            if (!headSent) {
                Responses.full(ctx, HttpMapping.errorStatus(m.status()), contentType(m), m.body(),
                        keepAlive, "X-Ferry-From", m.from().toString());
                finish();
            } else {
                facade.drop("stream_error", "ERROR " + m.status() + " mid-stream from " + m.from()
                        + ": " + new String(m.body(), StandardCharsets.UTF_8));
                end(false);
            }
            return;
        }
        if (!headSent && m.eof()) {
            int status = HttpMapping.repStatus(m.status());
            byte[] body = status == 204 || status == 304 ? new byte[0] : m.body();
            Responses.full(ctx, status, contentType(m), body, keepAlive,
                    CacheHeaders.concat(CacheHeaders.headers(meta), "X-Ferry-From", m.from().toString()));
            finish();
            return;
        }
        if (!headSent) {
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(HttpMapping.repStatus(m.status())));
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType(m))
                    .set("X-Ferry-From", m.from().toString());
            String[] fresh = CacheHeaders.headers(meta);
            for (int i = 0; i + 1 < fresh.length; i += 2) {
                head.headers().set(fresh[i], fresh[i + 1]);
            }
            HttpUtil.setTransferEncodingChunked(head, true);
            Responses.keepAlive(head, keepAlive);
            ctx.write(head);
            headSent = true;
        }
        if (m.eof()) {
            ctx.writeAndFlush(new DefaultLastHttpContent(Unpooled.wrappedBuffer(m.body())));
            streamPath = null;
            end(keepAlive);
        } else if (m.bodyLength() > 0) {
            ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(m.body())));
        } else {
            ctx.flush();
        }
    }

    private void onSse(Message m) {
        if (m.verb() == Verb.ERROR) {
            writeText(SseFormat.error(facade.json(), m));
            streamPath = null;
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            end(false);
            return;
        }
        writeText(CacheHeaders.sse(++eventId, m, meta));
        if (m.eof()) {
            streamPath = null;
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            end(keepAlive);
        }
    }

    private void writeText(String s) {
        ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8)));
    }

    private static String contentType(Message m) {
        BodyType t = m.bodyType().orElse(null);
        return t == null ? null : HttpMapping.contentType(t);
    }

    /** No reply within the request timeout: the router should have said 504 already. */
    private void timedOut() {
        if (done || streamPath != null || (headSent && !sse)) {
            return;
        }
        facade.drop("timeout", "no reply to exchange " + rest + " within "
                + facade.config().requestTimeout().toMillis() + " ms");
        Message err = Message.builder(Verb.ERROR, rest, LanFacade.MOUNT).status(504)
                .body(BodyType.TEXT, "no reply in time".getBytes(StandardCharsets.UTF_8)).build();
        if (sse) {
            onSse(err);
        } else {
            onPlain(err);
        }
    }

    /** The client went away: cancel a running stream at its source. */
    void clientGone() {
        if (done) {
            return;
        }
        if (streamPath != null) {
            facade.cancel(streamPath);
        }
        stopTimers();
        done = true;
    }

    /** The facade is closing: end the response as well as possible, cancel the stream. */
    void shutdown() {
        if (done) {
            return;
        }
        if (streamPath != null) {
            facade.cancel(streamPath);
        }
        streamPath = null;
        if (headSent) {
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
            Responses.text(ctx, 503, "server closing", false);
        }
        stopTimers();
        done = true;
    }

    private void finish() {
        stopTimers();
        done = true;
        onDone.run();
    }

    /** The response ended; when the connection cannot be reused, close it. */
    private void end(boolean reusable) {
        if (!reusable) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        if (!reusable && streamPath != null) {
            Logger.debug("lan: exchange {} ended with stream {} open", rest, streamPath);
        }
        finish();
    }

    private void stopTimers() {
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
    }
}

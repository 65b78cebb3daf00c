package dev.ferry.edge.http;

import dev.ferry.edge.route.Principal;
import dev.ferry.edge.route.Meta;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Decoded;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * One RP exchange carried over one HTTP response, on the connection's event loop. Nothing is
 * sent before the first reply, so an ERROR that comes first is always a real HTTP status:
 *
 * <pre>
 *   any:     ERROR first            → its status (400..599, else 502) with the reason
 *                                     (405: Allow from the resource's #schema, looked up first)
 *   plain:   REP E1                 → complete response (status 2xx/3xx as is, else 200)
 *            REP E0 … REP E1        → chunked, one chunk per REP; JSON as NDJSON lines, other
 *                                     types as their bytes; HEAD: the head, then the stream is cancelled
 *            ERROR (mid-stream)     → connection closed (the status line is gone already)
 *   SSE:     REP                    → head (X-Ferry-Stream), "event: stream", then "id/data" events;
 *                                     ERROR → "event: error", end; heartbeat comments
 *   NDJSON:  REP                    → head (X-Ferry-Stream), one JSON line per REP
 *   OPTIONS: REP of #schema         → 204 with Allow
 * </pre>
 *
 * The exchange learns its stream path (the reply's {@code from}) from the first reply; when the
 * client goes away before the stream ended, it cancels the stream with {@code DELETE}.
 */
final class HttpExchange {
    /** How the reply is written. */
    enum Mode { PLAIN, SSE, NDJSON, OPTIONS }

    /** The exchange's local path, {@code /<n>}. */
    final Path rest;
    /** Where the reply to the Allow lookup after a 405 comes back. */
    private final Path lookupRest;
    private final ChannelHandlerContext ctx;
    private final LanFacade facade;
    private final Mode mode;
    private final boolean head;
    private final boolean keepAlive;
    private final Path target;
    private final String prefix;
    private final Principal who;
    private final Runnable onDone;
    private boolean headSent;
    private boolean done;
    private boolean ndjsonChunks;
    private Message pending405;
    private Path streamPath;
    private long eventId;
    private ScheduledFuture<?> timeout;
    private ScheduledFuture<?> heartbeat;
    /** The freshness of the reply being written (set by {@link #onReply(Path, Message, Meta)}). */
    private Meta meta;

    /**
     * @param target the request's {@code to} (for the Allow lookup)
     * @param prefix the connection's path prefix ({@code /<conn>}), for the lookup's {@code from}
     * @param head   a HEAD request: the GET's head, no body
     * @param who    the client's principal: its requests, lookups and cancels travel with it
     */
    HttpExchange(ChannelHandlerContext ctx, LanFacade facade, Path rest, Path target, String prefix, Mode mode,
                 boolean head, boolean keepAlive, Principal who, Runnable onDone) {
        this.ctx = ctx;
        this.facade = facade;
        this.rest = rest;
        this.lookupRest = Path.of(rest + "/allow");
        this.target = target;
        this.prefix = prefix;
        this.who = who;
        this.mode = mode;
        this.head = head;
        this.keepAlive = keepAlive;
        this.onDone = onDone;
    }

    /** Arms the request-timeout backstop. */
    void start() {
        long t = facade.config().requestTimeout().toMillis();
        timeout = ctx.executor().schedule(this::timedOut, t, TimeUnit.MILLISECONDS);
    }

    boolean done() {
        return done;
    }

    /** True for the paths this exchange's replies come back to. */
    boolean owns(Path r) {
        return rest.equals(r) || lookupRest.equals(r);
    }

    /** A reply for this exchange, arrived at {@code r} (see {@link #owns}). */
    void onReply(Path r, Message m) {
        onReply(r, m, null);
    }

    /** Like {@link #onReply(Path, Message)}, with the reply's freshness ({@link CacheHeaders}; may be null). */
    void onReply(Path r, Message m, Meta meta) {
        this.meta = meta;
        if (done) {
            facade.orphan(m, "exchange_ended");
            return;
        }
        if (lookupRest.equals(r)) {
            onAllow(m);
            return;
        }
        timeout.cancel(false);
        if (m.verb() == Verb.REP && !m.eof()) {
            streamPath = m.from();
        }
        if (!headSent && m.verb() == Verb.ERROR && m.status() == 405 && pending405 == null && mode != Mode.OPTIONS) {
            pending405 = m;
            lookUpAllow();
            return;
        }
        switch (mode) {
            case SSE -> onSse(m);
            case NDJSON -> onNdjson(m);
            case OPTIONS -> onOptions(m);
            default -> onPlain(m);
        }
    }

    private void onPlain(Message m) {
        if (m.verb() == Verb.ERROR) {
            if (!headSent) {
                errorResponse(m, null);
            } else {
                facade.drop("stream_error", "ERROR " + m.status() + " mid-stream from " + m.from() + ": "
                        + new String(m.body(), StandardCharsets.UTF_8));
                end(false);
            }
            return;
        }
        if (!headSent && m.eof()) {
            int status = HttpMapping.repStatus(m.status());
            byte[] body = status == 204 || status == 304 ? new byte[0] : m.body();
            // for HEAD the codec sends the head (Content-Length included) and drops the body
            Responses.full(ctx, status, contentType(m), body, keepAlive,
                    CacheHeaders.concat(CacheHeaders.headers(meta), "X-Ferry-From", m.from().toString()));
            finish();
            return;
        }
        if (!headSent) {
            ndjsonChunks = BodyType.JSON.equals(m.bodyType().orElse(null));
            openStream(HttpMapping.repStatus(m.status()), ndjsonChunks ? Ndjson.CONTENT_TYPE : contentType(m), m);
            if (head) {
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                if (streamPath != null) {
                    facade.cancel(streamPath, who);
                    streamPath = null;
                }
                end(keepAlive);
                return;
            }
        }
        byte[] chunk = ndjsonChunks ? Ndjson.line(m) : m.body();
        if (m.eof()) {
            ctx.writeAndFlush(new DefaultLastHttpContent(Unpooled.wrappedBuffer(chunk)));
            streamPath = null;
            end(keepAlive);
        } else if (chunk.length > 0) {
            ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk)));
        } else {
            ctx.flush();
        }
    }

    private void onSse(Message m) {
        if (!headSent) {
            if (m.verb() == Verb.ERROR) {
                errorResponse(m, null);
                return;
            }
            openStream(200, "text/event-stream; charset=utf-8", m);
            if (streamPath != null) {
                writeText(SseFormat.stream(facade.json(), streamPath.toString()));
            }
            long hb = facade.config().heartbeat().toMillis();
            heartbeat = ctx.executor().scheduleAtFixedRate(
                    () -> writeText(SseFormat.HEARTBEAT), hb, hb, TimeUnit.MILLISECONDS);
        }
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

    private void onNdjson(Message m) {
        if (!headSent) {
            if (m.verb() == Verb.ERROR) {
                errorResponse(m, null);
                return;
            }
            openStream(200, Ndjson.CONTENT_TYPE, m);
        }
        if (m.verb() == Verb.ERROR) {
            facade.drop("stream_error", "ERROR " + m.status() + " mid-stream from " + m.from());
            end(false);
            return;
        }
        byte[] line = Ndjson.line(m);
        if (m.eof()) {
            ctx.writeAndFlush(new DefaultLastHttpContent(Unpooled.wrappedBuffer(line)));
            streamPath = null;
            end(keepAlive);
        } else {
            ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(line)));
        }
    }

    /** OPTIONS: the request was {@code GET <target>#schema}. */
    private void onOptions(Message m) {
        if (m.verb() == Verb.ERROR) {
            errorResponse(m, null);
            return;
        }
        String allow = AllowHeader.fromSchema(m.body());
        Responses.full(ctx, 204, null, new byte[0], keepAlive, "Allow", allow != null ? allow : AllowHeader.ALL);
        if (!m.eof()) {
            facade.cancel(m.from(), who);
        }
        finish();
    }

    /** A 405 came first: ask the resource's #schema which verbs it takes (members take GET). */
    private void lookUpAllow() {
        String t = target.toString();
        if (t.indexOf('#', t.lastIndexOf('/')) >= 0) {
            errorResponse(pending405, "GET, HEAD, OPTIONS");
            return;
        }
        Decoded<Path> schema = Path.parse(t + "#schema");
        if (!schema.isOk()) {
            errorResponse(pending405, AllowHeader.ALL);
            return;
        }
        timeout = ctx.executor().schedule(this::timedOut, facade.config().requestTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        facade.send(Message.builder(Verb.GET, schema.value(), Path.of(prefix + lookupRest)).build(), who);
    }

    private void onAllow(Message m) {
        if (pending405 == null || headSent) {
            facade.orphan(m, "exchange_ended");
            return;
        }
        timeout.cancel(false);
        String allow = m.verb() == Verb.REP ? AllowHeader.fromSchema(m.body()) : null;
        if (m.verb() == Verb.REP && !m.eof()) {
            facade.cancel(m.from(), who);
        }
        errorResponse(pending405, allow != null ? allow : AllowHeader.ALL);
    }

    private void errorResponse(Message m, String allow) {
        int status = HttpMapping.errorStatus(m.status());
        if (status == 405 && allow == null) {
            allow = AllowHeader.ALL;
        }
        if (allow != null) {
            Responses.full(ctx, status, contentType(m), m.body(), keepAlive, "X-Ferry-From", m.from().toString(),
                    "Allow", allow);
        } else {
            Responses.full(ctx, status, contentType(m), m.body(), keepAlive, "X-Ferry-From", m.from().toString());
        }
        finish();
    }

    /** The head of a streamed response: chunked, X-Ferry-Stream when the reply opened a stream. */
    private void openStream(int status, String contentType, Message first) {
        HttpResponse h = Responses.chunkedHead(status, contentType, keepAlive,
                CacheHeaders.concat(CacheHeaders.headers(meta), "X-Ferry-From", first.from().toString()));
        if (streamPath != null) {
            h.headers().set("X-Ferry-Stream", streamPath.toString());
        }
        if (mode == Mode.SSE || mode == Mode.NDJSON) {
            h.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        }
        ctx.write(h);
        headSent = true;
    }

    private void writeText(String s) {
        if (!facade.writable(ctx.channel())) {
            return;                   // cut off: the client stopped reading (channelInactive cleans up)
        }
        ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8)));
    }

    private static String contentType(Message m) {
        BodyType t = m.bodyType().orElse(null);
        return t == null ? null : HttpMapping.contentType(t);
    }

    /** No reply within the request timeout: the router should have said 504 already. */
    private void timedOut() {
        if (done || streamPath != null || headSent) {
            return;
        }
        facade.drop("timeout", "no reply to exchange " + rest + " within "
                + facade.config().requestTimeout().toMillis() + " ms");
        Message err = Message.builder(Verb.ERROR, rest, LanFacade.MOUNT).status(504)
                .body(BodyType.TEXT, "no reply in time".getBytes(StandardCharsets.UTF_8)).build();
        errorResponse(pending405 != null ? pending405 : err, pending405 != null ? AllowHeader.ALL : null);
    }

    /** The client went away: cancel a running stream at its source. */
    void clientGone() {
        if (done) {
            return;
        }
        if (streamPath != null) {
            facade.cancel(streamPath, who);
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
            facade.cancel(streamPath, who);
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

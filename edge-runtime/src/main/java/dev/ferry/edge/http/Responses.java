package dev.ferry.edge.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Writing HTTP responses and chunked heads, with keep-alive handled the same way everywhere. */
final class Responses {
    private Responses() { }

    /** A complete response; the connection is closed after it unless {@code keepAlive}. */
    static void full(ChannelHandlerContext ctx, int status, String contentType, byte[] body,
                     boolean keepAlive, String... headers) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body));
        if (contentType != null && body.length > 0) {
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            r.headers().set(headers[i], headers[i + 1]);
        }
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        keepAlive(r, keepAlive);
        var f = ctx.writeAndFlush(r);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * The head of a chunked response (its body follows as chunks): status, the content type when
     * there is one, {@code headers} as name/value pairs, keep-alive.
     */
    static HttpResponse chunkedHead(int status, String contentType, boolean keepAlive, String... headers) {
        HttpResponse h = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        if (contentType != null) {
            h.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            h.headers().set(headers[i], headers[i + 1]);
        }
        HttpUtil.setTransferEncodingChunked(h, true);
        keepAlive(h, keepAlive);
        return h;
    }

    /** A plain-text response, e.g. a 400 with its reason. */
    static void text(ChannelHandlerContext ctx, int status, String text, boolean keepAlive) {
        full(ctx, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), keepAlive);
    }

    static void keepAlive(HttpResponse r, boolean keepAlive) {
        r.headers().set(HttpHeaderNames.CONNECTION,
                keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
    }
}

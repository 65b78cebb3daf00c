package dev.ferry.edge.http;

import dev.ferry.edge.metrics.RemoteLog;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * The facade's 401 and 403 answers. A 401 carries two challenges, {@code Bearer} (RFC 6750; with
 * {@code error="invalid_token"} when a token was presented and refused) and {@code Basic}, which
 * makes a browser ask for the token itself (any user name, the token as password). Each refusal is
 * counted as {@code ferry_http_auth_refused_total{reason}} and logged within the remote-input budget.
 */
final class AccessDenied {
    private AccessDenied() { }

    static void write(ChannelHandlerContext ctx, LanFacade facade, int status, String reason, String label,
                      boolean keepAlive) {
        facade.metrics().inc("ferry_http_auth_refused_total", "reason", label);
        RemoteLog.info("http:auth_" + label, "lan: {} for {} ({})", status, ctx.channel().remoteAddress(), reason);
        byte[] body = (reason + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (status == 401) {
            String bearer = "Bearer realm=\"" + Authenticator.REALM + "\""
                    + (label.equals("invalid_token") ? ", error=\"invalid_token\"" : "");
            r.headers().add(HttpHeaderNames.WWW_AUTHENTICATE, bearer)
                    .add(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"" + Authenticator.REALM + "\", charset=\"UTF-8\"");
        }
        Responses.keepAlive(r, keepAlive);
        var f = ctx.writeAndFlush(r);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }
}

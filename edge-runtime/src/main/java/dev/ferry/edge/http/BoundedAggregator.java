package dev.ferry.edge.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;

/** Netty's request aggregator (413 on an oversized body) that counts what it refuses. */
final class BoundedAggregator extends HttpObjectAggregator {
    private final LanFacade facade;

    BoundedAggregator(LanFacade facade, int maxContentLength) {
        super(maxContentLength);
        this.facade = facade;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        facade.drop("body_too_large", "request body over " + maxContentLength() + " bytes from "
                + ctx.channel().remoteAddress());
        super.handleOversizedMessage(ctx, oversized);
    }
}

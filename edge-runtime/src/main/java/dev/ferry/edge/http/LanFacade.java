package dev.ferry.edge.http;

import com.fasterxml.jackson.core.JsonFactory;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.metrics.RemoteLog;
import dev.ferry.edge.route.Meta;
import dev.ferry.edge.route.Principal;
import dev.ferry.edge.route.Endpoint;
import dev.ferry.edge.route.Paths;
import dev.ferry.edge.route.Route;
import dev.ferry.edge.route.Router;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * Ferry's LAN facade: an HTTP/1.1 server (plain requests, chunked reply streams, Server-Sent
 * Events, WebSocket at {@code /#ws} and {@code /ws}, {@code /metrics}, the status page at
 * {@code /}) that is also the router {@link Endpoint} {@code "lan"} mounted at {@code /#lan}.
 *
 * <pre>
 *   client ── Netty event loop: [TLS] ─ IdleState ─ deadline ─ HttpServerCodec ─ deadline ─ Aggregator ─ HttpHandler
 *                                                      (after upgrade:  ws codec ─ WebSocketHandler)
 *      each request: Authenticator → Principal (CLIENT by token/certificate, LOCAL on loopback) or 401
 *      request  →  router.send(lan, GET /dev0/x from /&lt;conn&gt;/&lt;n&gt;)   (router: from /#lan/&lt;conn&gt;/&lt;n&gt;)
 *      reply    ←  deliver(REP to /&lt;conn&gt;/&lt;n&gt;) → connection table → conn's event loop
 * </pre>
 *
 * <p>Callers may rely on: {@link #deliver} never blocks (it hands the message to the connection's
 * event loop, and returns false, counted and logged, when the client is not writable or its
 * bounded queue is full, disconnecting that client); every table is bounded; a client that goes
 * away mid-stream gets its streams cancelled with {@code DELETE <stream>} through the router; the
 * facade calls {@link Router#expire()} every {@value #EXPIRE_PERIOD_MS} ms on its own event loop
 * group, so request time-outs become 504 without anyone else scheduling it. Drops are counted as
 * {@code ferry_http_dropped_total{reason="..."}}; their log lines go through {@link RemoteLog}.
 *
 * <p>Security ({@link FacadeSecurity}): every request travels through the router with the
 * principal its credentials name, so the gateway's policy decides it and the router records that
 * principal as the owner of the streams it opens; cancels the facade sends for a client that went
 * away carry the stream owner's principal. Connection numbers (the {@code <conn>} of return paths)
 * are random, not sequential. Connections per source are bounded, and a request must arrive
 * within its deadlines ({@link RequestDeadline}); a client that stops reading is cut off once its
 * socket's write buffer passes the high-water mark.
 *
 * <p>Lifecycle: construct, {@link #start()} (binds and attaches to the router, whose table must
 * contain {@link #route()}), {@link #close()}. A gateway that starts other parts after the
 * facade calls {@link #bind()} first (the port is known, connections wait in the kernel's
 * backlog) and {@link #open()} once everything is in place, so no client sees a half-started
 * gateway.
 */
public final class LanFacade implements Endpoint, AutoCloseable {
    /** The endpoint id. */
    public static final String ID = "lan";
    /** Where LAN clients' return paths live in the host namespace. */
    public static final Path MOUNT = Path.of("/#lan");
    /** How often the facade runs {@link Router#expire()}. */
    public static final long EXPIRE_PERIOD_MS = 100;

    private final LanFacadeConfig config;
    private final FacadeSecurity security;
    private final Router router;
    private final Metrics metrics;
    private final JsonFactory json = new JsonFactory();
    private final StaticPages pages = new StaticPages();
    private final Connections connections;
    private final StreamCancels cancels;
    private EventLoopGroup group;
    private Channel server;
    private ScheduledFuture<?> expiry;
    private volatile boolean running;

    /** A facade with {@link FacadeSecurity#defaults()}: plain HTTP, anonymous loopback clients only. */
    public LanFacade(LanFacadeConfig config, Router router, Metrics metrics) {
        this(config, FacadeSecurity.defaults(), router, metrics);
    }

    public LanFacade(LanFacadeConfig config, FacadeSecurity security, Router router, Metrics metrics) {
        this.config = config;
        this.security = security;
        this.connections = new Connections(config.maxConnections(), security.maxConnectionsPerSource(),
                config.maxQueuePerConnection());
        this.router = router;
        this.metrics = metrics;
        this.cancels = new StreamCancels(this, router, metrics);
        describe(metrics);
    }

    private static void describe(Metrics metrics) {
        metrics.describe("ferry_http_connections", "Open HTTP and WebSocket connections.");
        metrics.describe("ferry_http_requests_total", "HTTP requests read.");
        metrics.describe("ferry_http_rp_requests_total", "RP requests sent on behalf of HTTP and WebSocket clients.");
        metrics.describe("ferry_http_sse_total", "Server-Sent Events subscriptions opened.");
        metrics.describe("ferry_http_ndjson_total", "Newline-delimited JSON observations opened.");
        metrics.describe("ferry_http_websockets_total", "WebSocket upgrades accepted.");
        metrics.describe("ferry_http_cancels_total", "Streams cancelled with DELETE because their client went away or asked.");
        metrics.describe("ferry_http_cancel_replies_total", "Replies to the facade's own cancels.");
        metrics.describe("ferry_http_ws_frames_in_total", "WebSocket text frames received.");
        metrics.describe("ferry_http_ws_frames_out_total", "WebSocket text frames sent.");
        metrics.describe("ferry_http_dropped_total", "Requests and replies the LAN facade did not carry, by reason.");
    }

    /** The route that makes this endpoint reachable: {@code /#lan} mounted on {@code "lan"}. */
    public static Route route() {
        return Route.mount(MOUNT, ID);
    }

    /** {@link #bind()} then {@link #open()}. */
    public synchronized void start() throws IOException {
        bind();
        open();
    }

    /**
     * Binds the server without accepting yet, attaches this endpoint to the router (unless
     * already attached) and starts the periodic {@link Router#expire()}.
     *
     * @throws IOException if the address cannot be bound
     * @throws IllegalStateException if started twice, or another endpoint holds the id "lan"
     */
    public synchronized void bind() throws IOException {
        if (group != null) {
            throw new IllegalStateException("already started");
        }
        if (router.endpoint(ID) != this) {
            router.attach(this);
        }
        group = new MultiThreadIoEventLoopGroup(config.ioThreads(), NioIoHandler.newFactory());
        metrics.gauge("ferry_http_connections", connections::count);
        ServerBootstrap b = new ServerBootstrap().group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 128)
                .option(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override protected void initChannel(SocketChannel ch) {
                        accept(ch);
                    }
                });
        ChannelFuture bound = b.bind(config.host(), config.port()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            group = null;
            throw new IOException("cannot bind " + config.host() + ":" + config.port(), bound.cause());
        }
        server = bound.channel();
        expiry = group.next().scheduleAtFixedRate(this::expire, EXPIRE_PERIOD_MS, EXPIRE_PERIOD_MS,
                TimeUnit.MILLISECONDS);
        running = true;
    }

    /** Starts accepting the connections {@link #bind()} let queue. */
    public synchronized void open() {
        if (server == null) {
            throw new IllegalStateException("not bound");
        }
        server.config().setAutoRead(true);
        Logger.info("lan: listening on {}://{}:{}/", security.scheme(), config.host(), port());
    }

    private void accept(SocketChannel ch) {
        Connections.Admission a = connections.admit(ch);
        if (a.connection() == null) {
            drop(a.reason(), a.detail());
            ch.close();
            return;
        }
        HttpHandler handler = new HttpHandler(this, a.connection());
        a.connection().sink(handler);
        if (security.tls() != null) {
            ch.pipeline().addLast("tls", security.tls().newHandler(ch.alloc()));
        }
        ch.pipeline()
                .addLast("idle", new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .addLast("http", new HttpServerCodec())
                .addLast("aggregate", new BoundedAggregator(this, config.maxRequestBody()))
                .addLast("handler", handler);
        new RequestDeadline(this, security.headerTimeout().toMillis(), security.bodyTimeout().toMillis())
                .install(ch.pipeline(), "http");
    }

    private void expire() {
        try {
            router.expire();
        } catch (RuntimeException e) {
            Logger.error(e, "lan: router.expire failed");   // keep the periodic task alive
        }
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The bound address. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    @Override public String id() {
        return ID;
    }

    @Override public Path mount() {
        return MOUNT;
    }

    @Override public boolean live() {
        return running;
    }

    @Override public boolean deliver(Message m) {
        return deliver(m, null);
    }

    /** Like {@link #deliver(Message)}; the reply's freshness ({@link CacheHeaders}) goes with it. */
    @Override public boolean deliver(Message m, Meta meta) {
        if (!running) {
            return false;
        }
        if (cancels.isReply(m)) {
            return true;
        }
        if (m.verb() != Verb.REP && m.verb() != Verb.ERROR) {
            drop("request_to_lan", m + ": the LAN facade serves no resources");
            async(() -> router.send(this, Message.builder(Verb.ERROR, m.from(), m.to()).status(404)
                    .body(BodyType.TEXT, "no resource here".getBytes(StandardCharsets.UTF_8)).build()));
            return true;
        }
        Connection c = connections.of(m.to());
        if (c == null) {
            orphan(m, "client_gone");
            return true;
        }
        Path rest = Paths.rewrite(m.to(), c.prefix, Path.ROOT).value();
        Connection.Offer o = c.offer(rest, m, meta);
        switch (o) {
            case TAKEN:
                return true;
            case GONE:
                orphan(m, "client_gone");
                return true;
            default:
                String reason = o == Connection.Offer.NOT_WRITABLE ? "not_writable" : "queue_full";
                drop(reason, m + " for connection " + c.id);
                metrics.inc("ferry_http_dropped_total", "reason", "slow_client");
                c.abort("slow client: " + reason);
                return false;
        }
    }

    /**
     * The observation request for {@code to}: the one place that decides how an SSE subscription
     * is asked of a resource. For now a GET with end-of-stream false (header {@code E0}).
     */
    Message observeRequest(Path to, Path from) {
        return Message.builder(Verb.GET, to, from).eof(false).build();
    }

    /**
     * Routes a message from a client (its {@code from} is already {@code /<conn>/...}) on behalf of
     * {@code who}: the router authorizes it and records {@code who} as the owner of its stream.
     */
    void send(Message m, Principal who) {
        send(m, Meta.of(who));
    }

    /** Like {@link #send(Message, Principal)}, on behalf of {@code meta}'s principal with its cache hints. */
    void send(Message m, Meta meta) {
        metrics.inc("ferry_http_rp_requests_total");
        router.send(this, m, meta);
    }

    /** Cancels a stream at its source for its owner ({@link StreamCancels}). */
    void cancel(Path stream, Principal who) {
        cancels.cancel(stream, who);
    }

    /** A reply nobody waits for: counted; a stream still running is cancelled for its owner. */
    void orphan(Message m, String reason) {
        metrics.inc("ferry_http_dropped_total", "reason", reason);
        Logger.debug("lan: no exchange for {} ({})", m, reason);
        if (m.verb() == Verb.REP && !m.eof()) {
            async(() -> cancel(m.from(), principal()));
        }
    }

    /** Counts a drop and logs it within the remote-input log budget ({@link RemoteLog}). */
    void drop(String reason, String detail) {
        metrics.inc("ferry_http_dropped_total", "reason", reason);
        RemoteLog.warn("http:" + reason, "lan: dropped ({}): {}", reason, RemoteLog.excerpt(detail, 200));
    }

    /**
     * True when {@code ch} can take another write now. Otherwise the client has let its socket's
     * write buffer pass the high-water mark (it does not read): it is cut off, counted as
     * {@code slow_client}, and false is returned, so nothing more is queued for it.
     */
    boolean writable(Channel ch) {
        if (ch.isWritable()) {
            return true;
        }
        if (ch.isActive()) {
            drop("slow_client", "closing " + ch.remoteAddress() + ": it does not read and its write buffer is full");
            ch.close();
        }
        return false;
    }

    FacadeSecurity security() {
        return security;
    }

    private void async(Runnable r) {
        EventLoopGroup g = group;
        try {
            if (g != null && !g.isShuttingDown()) {
                g.next().execute(r);
            }
        } catch (RejectedExecutionException e) {
            Logger.debug("lan: shutting down, skipped a cancel");
        }
    }

    LanFacadeConfig config() {
        return config;
    }

    Metrics metrics() {
        return metrics;
    }

    JsonFactory json() {
        return json;
    }

    StaticPages pages() {
        return pages;
    }

    /** Open connections now. */
    public int connections() {
        return connections.count();
    }

    /**
     * Ends every open response and stream (cancelling RP streams at their source), closes all
     * connections and the listening socket, and stops the event loops. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (group == null) {
            return;
        }
        running = false;
        expiry.cancel(false);
        server.close().awaitUninterruptibly();
        List<io.netty.util.concurrent.Future<?>> done = new ArrayList<>();
        for (Connection c : connections.all()) {
            done.add(c.channel.eventLoop().submit(() -> {
                ConnectionSink s = c.sink();
                if (s != null) {
                    s.shutdown();
                }
                c.channel.close();
            }));
        }
        for (io.netty.util.concurrent.Future<?> f : done) {
            f.awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        group = null;
        Logger.info("lan: closed");
    }
}

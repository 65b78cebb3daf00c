package dev.ferry.edge.raet;

import dev.ferry.edge.config.HostPort;
import dev.ferry.edge.config.SecurityConfig;
import dev.ferry.edge.config.TransportConfig;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.resi.LinkOptions;
import dev.ferry.edge.transport.Datagrams;
import dev.ferry.edge.transport.TransportBase;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.tinylog.Logger;

/**
 * RESI over RAET: each envelope is one kind C (ordered, reliable, segmented) message of a RAET
 * session, signed or encrypted as configured. The stack runs on the channel's event loop.
 *
 * <pre>
 *   send() ─ bounded hand-off ─┐                       ┌─ Receiver.onEnvelope (kind C)
 *                              RaetStack (event loop) ─┤
 *   NioDatagramChannel ────────┘   tick every 2 ms     └─ side listener (kinds A, B, D)
 * </pre>
 *
 * The connecting side joins, the listening side accepts. State is UP while a session exists,
 * CONNECTING while (re)joining or waiting for a join, DOWN when stopped. {@link #send} refuses
 * (false) when not UP, when the envelope is longer than the maximum, or when unacknowledged bytes
 * reach the bound. {@link #reset} drops the session (the joiner rejoins).
 */
public final class RaetTransport extends TransportBase {
    private static final long TICK_MICROS = 2000;

    private final InetSocketAddress connect;
    private final InetSocketAddress localBind;
    private final EventLoopGroup group;
    private final RaetKeys keys;
    private final RaetOptions options;
    private final RaetCounters counters;
    private final long maxQueuedBytes;
    private final int maxEnvelope;
    private final Queue<byte[]> handoff = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong queuedBytes = new AtomicLong();
    private volatile BiConsumer<ServiceKind, byte[]> sideListener = (k, b) -> { };
    private volatile Channel channel;
    private volatile RaetStack stack;
    private volatile String protection;
    private ScheduledFuture<?> ticker;

    /**
     * @param connect   the acceptor to join (null: this side listens and accepts)
     * @param localBind local address to bind (listen address, or bind host with port 0)
     */
    public RaetTransport(int index, InetSocketAddress connect, InetSocketAddress localBind, EventLoopGroup group,
                         RaetKeys keys, RaetOptions options, RaetCounters counters, long maxQueuedBytes, int maxEnvelope) {
        super(index);
        this.connect = connect;
        this.localBind = Objects.requireNonNull(localBind, "localBind");
        this.group = Objects.requireNonNull(group, "group");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.options = Objects.requireNonNull(options, "options");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.maxQueuedBytes = maxQueuedBytes;
        this.maxEnvelope = (int) Math.min(maxEnvelope, options.maxMessage());
    }

    /**
     * The transport for one {@code [[peers.transports]]} entry of kind raet. Segments are sized to
     * fit {@code o.datagramSize()}; envelopes up to {@code o.maxEnvelope()}; at most
     * {@code o.maxQueuedBytes()} unacknowledged. Host names are resolved here.
     *
     * @param keys loaded once per process with {@link RaetKeys#load}; its mode must be {@code sc.mode()}
     * @throws IllegalArgumentException kind is not RAET, or the keys do not match the mode
     */
    public static RaetTransport create(int index, TransportConfig tc, SecurityConfig sc, RaetKeys keys,
                                       Metrics metrics, EventLoopGroup group, LinkOptions o) {
        if (tc.kind() != TransportConfig.Kind.RAET) {
            throw new IllegalArgumentException("not a raet transport: " + tc.kind());
        }
        if (keys.mode() != sc.mode()) {
            throw new IllegalArgumentException("keys loaded for mode " + keys.mode() + " but security mode is " + sc.mode());
        }
        int seg = Math.max(256, o.datagramSize() - 300);
        int maxSegments = (int) Math.min(65535, Math.max(1, (o.maxEnvelope() + seg - 1) / seg));
        RaetOptions ro = RaetOptions.defaults().withSegmentBytes(seg);
        ro = new RaetOptions(ro.segmentBytes(), maxSegments, ro.windowSegments(), ro.pendingMessages(),
                Math.max(ro.reassemblyBytes(), 2L * o.maxEnvelope()), ro.retryInitial(), ro.retryCap(), ro.finiteRetries(),
                ro.resendGuard(), ro.repeats(), ro.repeatInterval(), ro.transactions(), ro.dupEntries(), ro.dupTimeout(),
                ro.escrowTimeout(), ro.requestTimeout());
        InetSocketAddress connect = tc.connect().map(RaetTransport::address).orElse(null);
        InetSocketAddress bind = connect == null ? address(tc.listen().orElseThrow())
                : tc.bind().map(h -> new InetSocketAddress(h, 0)).orElseGet(() -> new InetSocketAddress(0));
        String label = (connect == null ? "raet-listen " + tc.listen().orElseThrow() : "raet-connect " + tc.connect().get());
        return new RaetTransport(index, connect, bind, group, keys, ro, new RaetCounters(metrics, label),
                o.maxQueuedBytes(), o.maxEnvelope());
    }

    private static InetSocketAddress address(HostPort hp) {
        return new InetSocketAddress(hp.host(), hp.port());
    }

    @Override
    public String name() {
        return connect == null ? "raet-listen " + localAddress().orElse(localBind)
                : "raet-connect " + connect.getHostString() + ":" + connect.getPort();
    }

    /** Where kinds A, B and D arrive (kind C goes to the {@link Receiver}). Set before start. */
    public void setSideListener(BiConsumer<ServiceKind, byte[]> l) {
        this.sideListener = Objects.requireNonNull(l);
    }

    @Override
    public void start() {
        markStarted();
        channel = Datagrams.bind(group, localBind, 4 << 20, new Inbound(), "RAET");
        Channel ch = channel;
        // Read up to maxMessagesPerRead datagrams per wake-up. Netty's default stops after any
        // datagram shorter than the buffer (it guesses "no more data"), which made every read
        // batch one datagram long and so cost one kind C status per segment.
        ch.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(65536).respectMaybeMoreData(false));
        stack = new RaetStack(connect, keys, options, (d, to) -> ch.write(new DatagramPacket(
                ch.alloc().ioBuffer(d.length).writeBytes(d), to), ch.voidPromise()), new Up(), counters, 1 << 20);
        Logger.info("{}: bound {} ({} mode{})", name(), ch.localAddress(), keys.mode().name().toLowerCase(java.util.Locale.ROOT),
                keys.mode() == SecurityConfig.Mode.ENCRYPTED ? ", ciphers " + SuiteOffer.labels(keys.suites()) : "");
        changeState(State.CONNECTING, connect == null ? "waiting for a join" : "joining");
        ch.eventLoop().execute(() -> {
            stack.start(System.nanoTime());
            ch.flush();
        });
        ticker = ch.eventLoop().scheduleAtFixedRate(() -> {
            stack.tick(System.nanoTime());
            ch.flush();
        }, TICK_MICROS, TICK_MICROS, TimeUnit.MICROSECONDS);
    }

    @Override
    public void stop() {
        Channel ch = channel;
        if (ticker != null) {
            ticker.cancel(false);
        }
        if (ch != null && ch.isOpen()) {
            ch.eventLoop().submit(() -> stack.stop()).syncUninterruptibly();
            ch.close().syncUninterruptibly();
        }
        handoff.clear();
        stopped();
    }

    @Override
    protected boolean offer(byte[] envelope) {
        requireStarted();
        Channel ch = channel;
        if (ch == null || state() != State.UP || envelope.length > maxEnvelope
                || queuedBytes.get() + envelope.length > maxQueuedBytes) {
            return false;
        }
        queuedBytes.addAndGet(envelope.length);
        handoff.add(envelope);
        if (scheduled.compareAndSet(false, true)) {
            ch.eventLoop().execute(this::drain);
        }
        return true;
    }

    private void drain() {
        scheduled.set(false);
        long now = System.nanoTime();
        byte[] e;
        while ((e = handoff.poll()) != null) {
            if (!stack.sendSequenced(e, now)) {
                queuedBytes.addAndGet(-e.length);
            }
        }
        channel.flush();
    }

    /** Kind A on the event loop; completes with false when there is no session or no room. */
    public CompletableFuture<Boolean> sendMaybe(byte[] body) {
        return onLoop(() -> stack.sendMaybe(body, System.nanoTime()));
    }

    /** Kind B (finite retries, or infinite with back-off). */
    public CompletableFuture<Boolean> sendOnce(byte[] body, boolean infinite) {
        return onLoop(() -> stack.sendOnce(body, infinite, System.nanoTime()));
    }

    /** Kind D: the peer's response, answered by its {@link #setResponder responder}. */
    public CompletableFuture<byte[]> request(byte[] body) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            stack.request(body, System.nanoTime()).whenComplete((r, t) -> {
                if (t != null) {
                    f.completeExceptionally(t);
                } else {
                    f.complete(r);
                }
            });
            channel.flush();
        });
        return f;
    }

    private volatile java.util.function.UnaryOperator<byte[]> responder = b -> new byte[0];

    /** How this side answers kind D requests (runs on the event loop; must not block). */
    public void setResponder(java.util.function.UnaryOperator<byte[]> r) {
        this.responder = Objects.requireNonNull(r);
    }

    private CompletableFuture<Boolean> onLoop(java.util.function.BooleanSupplier op) {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            f.complete(op.getAsBoolean());
            channel.flush();
        });
        return f;
    }

    @Override
    public void reset(String reason) {
        Channel ch = channel;
        if (ch != null && stack != null) {
            ch.eventLoop().execute(() -> {
                stack.reset(reason, System.nanoTime());
                ch.flush();
            });
        }
    }

    @Override
    public boolean isStream() {
        return false;
    }

    @Override
    public Optional<InetSocketAddress> localAddress() {
        Channel ch = channel;
        return boundAddress(ch);
    }

    /**
     * How the current session protects packets: "open", "signed" or the negotiated AEAD suite
     * ("aes-256-gcm", "chacha20-poly1305"); empty while there is no session. Also in the UP reason.
     */
    public Optional<String> protection() {
        return Optional.ofNullable(protection);
    }

    public RaetCounters counters() {
        return counters;
    }

    /** Unacknowledged kind C bytes (queued or in flight). */
    public long queuedBytes() {
        return queuedBytes.get();
    }

    private final class Up implements RaetStack.Listener {
        @Override
        public void onMessage(ServiceKind kind, byte[] body) {
            if (kind == ServiceKind.SEQUENCE) {
                receiver().onEnvelope(RaetTransport.this, body);
            } else {
                sideListener.accept(kind, body);
            }
        }

        @Override
        public byte[] onRequest(byte[] body) {
            return responder.apply(body);
        }

        @Override
        public void onSession(boolean up, String reason) {
            protection = up ? stack.protection() : null;
            if (isStarted() && channel.isOpen()) {
                changeState(up ? State.UP : State.CONNECTING, reason);
            }
        }

        @Override
        public void onReleased(int bytes, boolean delivered) {
            queuedBytes.addAndGet(-bytes);
        }
    }

    private final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
            if (stack == null) {
                return;
            }
            ByteBuf c = p.content();
            byte[] d = new byte[c.readableBytes()];
            c.getBytes(c.readerIndex(), d);
            stack.onDatagram(d, d.length, p.sender(), System.nanoTime());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (stack == null) {
                return;
            }
            stack.onBatchEnd(System.nanoTime());
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Logger.warn("{}: {}", name(), cause.toString());
        }
    }
}

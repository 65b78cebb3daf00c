package dev.ferry.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many server-sent-event subscribers on one thread: N plain HTTP/1.1 connections (blocking
 * connects, then one NIO selector), each sending the same GET with {@code Accept:
 * text/event-stream} and reading the chunked response as events. Every event reaches the
 * {@link Listener} on the selector thread with the {@code System.nanoTime()} of the read that
 * completed it. A subscriber can stop reading (its socket buffers fill, as a stuck browser's
 * would) or be closed. For the shared-observation tests and {@code ObservationBench}.
 */
public final class SseSwarm implements AutoCloseable {
    /** One event: its type ("message" unless named), id, data lines joined by '\n', age field (-1 if none). */
    public record Event(int subscriber, String type, long id, String data, long ageMs, long nanos) { }

    /** Where events go; called on the swarm's thread. */
    public interface Listener {
        void onEvent(Event e);

        /** The response ended or failed; {@code why} says how. */
        default void onClosed(int subscriber, String why) { }
    }

    private final InetSocketAddress server;
    private final byte[] request;
    private final Listener listener;
    private final List<Conn> conns = new ArrayList<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger streaming = new AtomicInteger();
    private final Selector selector;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * Opens {@code n} subscriptions of {@code path} (raw request target, e.g. {@code /dev0/sensors/temp})
     * with {@code body} (JSON, may be null) and extra header lines ("Name: value").
     */
    public SseSwarm(InetSocketAddress server, String path, String body, List<String> headers, int n, Listener listener)
            throws IOException {
        this.server = server;
        this.listener = listener;
        StringBuilder r = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: ")
                .append(server.getHostString()).append("\r\nAccept: text/event-stream\r\n");
        for (String h : headers) {
            r.append(h).append("\r\n");
        }
        byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0) {
            r.append("Content-Type: application/json\r\nContent-Length: ").append(b.length).append("\r\n");
        }
        r.append("\r\n");
        byte[] head = r.toString().getBytes(StandardCharsets.US_ASCII);
        this.request = new byte[head.length + b.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(b, 0, request, head.length, b.length);
        this.selector = Selector.open();
        for (int i = 0; i < n; i++) {
            add();
        }
        this.thread = new Thread(this::loop, "sse-swarm");
        thread.setDaemon(true);
        thread.start();
    }

    /** Opens one more subscriber (connected and its request sent before this returns); its index. */
    public synchronized int add() throws IOException {
        SocketChannel ch = SocketChannel.open(server);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ch.write(ByteBuffer.wrap(request));
        ch.configureBlocking(false);
        Conn c = new Conn(conns.size(), ch);
        conns.add(c);
        tasks.add(() -> register(c));
        selector.wakeup();
        return c.index;
    }

    private void register(Conn c) {
        try {
            c.key = c.ch.register(selector, SelectionKey.OP_READ, c);
        } catch (IOException e) {
            c.closed("register failed: " + e);
        }
    }

    /** Subscribers whose response head (200) arrived and that are still open. */
    public int streaming() {
        return streaming.get();
    }

    /** Subscriber {@code i} stops reading: Ferry's writes to it pile up in the socket buffers. */
    public void stopReading(int i) {
        Conn c = conn(i);
        tasks.add(() -> {
            if (c.key != null && c.key.isValid()) {
                c.key.interestOps(0);
            }
        });
        selector.wakeup();
    }

    /** Closes subscriber {@code i}'s connection (a closed browser tab). */
    public void close(int i) {
        Conn c = conn(i);
        tasks.add(() -> c.closed("closed by the test"));
        selector.wakeup();
    }

    private synchronized Conn conn(int i) {
        return conns.get(i);
    }

    private void loop() {
        ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
        byte[] bytes = new byte[buf.capacity()];
        while (running) {
            try {
                selector.select(100);
                for (Runnable t; (t = tasks.poll()) != null; ) {
                    t.run();
                }
                long now = System.nanoTime();
                for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey k = it.next();
                    it.remove();
                    Conn c = (Conn) k.attachment();
                    buf.clear();
                    int n;
                    try {
                        n = c.ch.read(buf);
                    } catch (IOException e) {
                        c.closed("read failed: " + e.getMessage());
                        continue;
                    }
                    if (n < 0) {
                        c.closed("end of stream");
                        continue;
                    }
                    buf.flip();
                    buf.get(bytes, 0, n);
                    for (int i = 0; i < n && !c.done; i++) {
                        c.feed(bytes[i], now);
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (running) {
                    System.err.println("sse-swarm: " + e);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            for (Conn c : conns) {
                c.ch.close();
            }
        }
        selector.close();
    }

    /** One connection's HTTP/1.1 + chunked + SSE parser; selector thread only. */
    private final class Conn {
        private static final int HEAD = 0;
        private static final int SIZE = 1;
        private static final int DATA = 2;
        private static final int CRLF = 3;

        final int index;
        final SocketChannel ch;
        SelectionKey key;
        boolean done;
        private int state = HEAD;
        private long left;
        private boolean chunked;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        private final ByteArrayOutputStream sseLine = new ByteArrayOutputStream(256);
        private final StringBuilder head = new StringBuilder();
        private String type;
        private long id = -1;
        private long age = -1;
        private StringBuilder data;

        Conn(int index, SocketChannel ch) {
            this.index = index;
            this.ch = ch;
        }

        void feed(byte b, long now) {
            switch (state) {
                case HEAD -> {
                    head.append((char) (b & 0xff));
                    if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
                        String h = head.toString();
                        if (!h.startsWith("HTTP/1.1 200")) {
                            closed("response " + h.lines().findFirst().orElse(""));
                            return;
                        }
                        chunked = h.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked");
                        streaming.incrementAndGet();
                        state = chunked ? SIZE : DATA;
                        left = Long.MAX_VALUE;
                    }
                }
                case SIZE -> {
                    if (b == '\n') {
                        String s = line.toString(StandardCharsets.US_ASCII).trim();
                        line.reset();
                        int semi = s.indexOf(';');
                        left = Long.parseLong(semi < 0 ? s : s.substring(0, semi), 16);
                        if (left == 0) {
                            closed("last chunk");
                            return;
                        }
                        state = DATA;
                    } else {
                        line.write(b);
                    }
                }
                case DATA -> {
                    sse(b, now);
                    if (--left == 0) {
                        state = CRLF;
                        left = 2;
                    }
                }
                default -> {
                    if (--left == 0) {
                        state = SIZE;
                    }
                }
            }
        }

        private void sse(byte b, long now) {
            if (b != '\n') {
                if (b != '\r') {
                    sseLine.write(b);
                }
                return;
            }
            String l = sseLine.toString(StandardCharsets.UTF_8);
            sseLine.reset();
            if (l.isEmpty()) {
                if (data != null || type != null) {
                    listener.onEvent(new Event(index, type == null ? "message" : type, id,
                            data == null ? "" : data.toString(), age, now));
                }
                type = null;
                data = null;
                age = -1;
                return;
            }
            if (l.startsWith(":")) {
                return;                                          // a comment (heartbeat)
            }
            int colon = l.indexOf(':');
            String field = colon < 0 ? l : l.substring(0, colon);
            String value = colon < 0 ? "" : l.substring(colon + (l.startsWith(": ", colon) ? 2 : 1));
            switch (field) {
                case "event" -> type = value;
                case "id" -> id = parse(value);
                case "age" -> age = parse(value);
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> { }
            }
        }

        private long parse(String v) {
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        void closed(String why) {
            if (done) {
                return;
            }
            boolean wasStreaming = state != HEAD;
            done = true;
            if (wasStreaming) {
                streaming.decrementAndGet();
            }
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            listener.onClosed(index, why);
        }
    }
}

package dev.ferry.system;

import dev.ferry.bench.SseSwarm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the shared-observation system tests observe with: SSE subscribers (an {@link SseSwarm}),
 * WebSocket subscribers, and what each of them saw, as the temperature readings' counter
 * {@code n} plus how each reading was marked (cached / stale, with its age).
 */
final class ObservingClients implements AutoCloseable {
    private static final Pattern N = Pattern.compile("\"n\":(\\d+)");

    /** One reading a subscriber got: its counter (-1 if none), whether cached/stale, its age (-1 if none). */
    record Seen(long n, boolean cached, boolean stale, long ageMs, long nanos) { }

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final String base;
    final int port;
    final Map<String, List<Seen>> seen = new ConcurrentHashMap<>();
    final Map<String, String> closed = new ConcurrentHashMap<>();
    private final List<WebSocket> sockets = new CopyOnWriteArrayList<>();
    private final Map<String, LinkedBlockingQueue<String>> wsFrames = new ConcurrentHashMap<>();
    private SseSwarm swarm;

    ObservingClients(int port) {
        this.port = port;
        this.base = "http://127.0.0.1:" + port;
    }

    static long n(String json) {
        Matcher m = N.matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** {@code count} SSE subscribers of {@code path} with request body {@code body}; named "sse-i". */
    SseSwarm sse(String path, String body, int count, List<String> headers) throws Exception {
        swarm = new SseSwarm(new java.net.InetSocketAddress("127.0.0.1", port), path, body, headers, count,
                new SseSwarm.Listener() {
                    @Override
                    public void onEvent(SseSwarm.Event e) {
                        boolean stale = e.type().equals("stale");
                        record("sse-" + e.subscriber(), new Seen(n(e.data()), e.ageMs() >= 0 || stale, stale,
                                e.ageMs(), e.nanos()));
                    }

                    @Override
                    public void onClosed(int subscriber, String why) {
                        closed.put("sse-" + subscriber, why);
                    }
                });
        return swarm;
    }

    /** A WebSocket subscriber {@code name} observing {@code path} with JSON body {@code body}. */
    WebSocket ws(String name, String path, String body) throws Exception {
        LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
        wsFrames.put(name, frames);
        WebSocket w = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"),
                new WebSocket.Listener() {
                    private final StringBuilder buf = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket s, CharSequence text, boolean last) {
                        buf.append(text);
                        if (last) {
                            String f = buf.toString();
                            buf.setLength(0);
                            frames.add(f);
                            if (f.contains("\"to\":\"/obs/1\"") && f.contains("\"verb\":\"REP\"")
                                    && f.contains("\"eof\":false")) {
                                record(name, new Seen(n(f), f.contains("\"cached\":true"), f.contains("\"stale\":true"),
                                        age(f), System.nanoTime()));
                            }
                        }
                        s.request(1);
                        return CompletableFuture.completedFuture(null);
                    }
                }).get(10, TimeUnit.SECONDS);
        sockets.add(w);
        w.sendText("{\"verb\":\"GET\",\"to\":\"" + path + "\",\"from\":\"/obs/1\",\"eof\":false"
                + (body == null ? "" : ",\"type\":\"j\",\"body\":" + body) + "}", true).get(5, TimeUnit.SECONDS);
        return w;
    }

    private static long age(String frame) {
        Matcher m = Pattern.compile("\"age\":(\\d+)").matcher(frame);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The frames WebSocket {@code name} received (all of them, in order). */
    LinkedBlockingQueue<String> frames(String name) {
        return wsFrames.get(name);
    }

    /** The first frame of {@code name} that contains {@code text}, within 10 s. */
    String frame(String name, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (String f; (f = frames(name).poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null; ) {
            if (f.contains(text)) {
                return f;
            }
        }
        throw new AssertionError(name + ": no frame with " + text);
    }

    private void record(String name, Seen s) {
        seen.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>()).add(s);
    }

    /** What {@code name} has seen so far. */
    List<Seen> seen(String name) {
        return new ArrayList<>(seen.getOrDefault(name, List.of()));
    }

    /** Live readings (not stale) {@code name} has seen. */
    List<Long> liveNs(String name) {
        List<Long> out = new ArrayList<>();
        for (Seen s : seen(name)) {
            if (!s.stale() && s.n() >= 0) {
                out.add(s.n());
            }
        }
        return out;
    }

    /**
     * Fails unless every live reading {@code name} saw follows the one before it (the firmware's
     * counter {@code n}), except right after a stale event: a device that was lost (on a loaded
     * machine a paced line can miss three polls) loses readings, and the subscriber was told.
     */
    void assertNoSilentGap(String name) {
        long prev = -1;
        List<Seen> all = seen(name);
        for (Seen s : all) {
            if (s.stale()) {
                prev = -1;
            } else if (s.n() >= 0) {
                if (prev >= 0 && s.n() != prev + 1) {
                    throw new AssertionError(name + " missed readings without being told: " + prev + " then " + s.n()
                            + " in " + all);
                }
                prev = s.n();
            }
        }
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls {@code c} (every 5 ms, at most {@code seconds}); an await with a deadline, never a fixed sleep. */
    static void eventually(BooleanSupplier c, long seconds, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + seconds + " s: " + what);
            }
            LockSupport.parkNanos(5_000_000L);
        }
    }

    @Override
    public void close() throws Exception {
        for (WebSocket w : sockets) {
            w.abort();
        }
        if (swarm != null) {
            swarm.close();
        }
    }
}

package dev.ferry.system;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium driven over the DevTools protocol (a WebSocket, JSON commands): open a page
 * at a given viewport, evaluate JavaScript in it, take a screenshot. Just the commands the status
 * page test needs; nothing is mocked. {@link #path()} is null when Chromium is not installed.
 */
final class Chromium implements AutoCloseable {
    private static final JsonFactory JSON = new JsonFactory();

    private final Process process;
    private final Path profile;
    private final WebSocket page;
    private final AtomicInteger nextId = new AtomicInteger();
    private final Map<Integer, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
    private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

    /** The Chromium executable, or null. */
    static String path() {
        for (String p : new String[] {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
            if (new File(p).canExecute()) {
                return p;
            }
        }
        return null;
    }

    /** Starts a headless browser on about:blank and attaches to its page. */
    Chromium(Path profile) throws Exception {
        this.profile = profile;
        process = new ProcessBuilder(path(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolveSibling("chromium.log").toFile()).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.isRegularFile(portFile) || Files.readAllLines(portFile).size() < 2) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError("chromium did not open its DevTools port");
            }
            try {
                process.onExit().get(50, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException stillStarting) {
                // not written yet
            }
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
        HttpClient http = HttpClient.newHttpClient();
        String targets = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("\"type\"\\s*:\\s*\"page\"[^}]*?\"webSocketDebuggerUrl\"\\s*:\\s*\"([^\"]+)\"",
                Pattern.DOTALL).matcher(targets);
        if (!m.find()) {
            m = Pattern.compile("\"webSocketDebuggerUrl\"\\s*:\\s*\"(ws://[^\"]+/page/[^\"]+)\"").matcher(targets);
            if (!m.find()) {
                throw new AssertionError("no page target: " + targets);
            }
        }
        page = http.newWebSocketBuilder().buildAsync(URI.create(m.group(1)), new Listener())
                .get(10, TimeUnit.SECONDS);
    }

    /** Sends one command; returns the raw JSON answer. */
    String call(String method, String paramsJson) throws Exception {
        int id = nextId.incrementAndGet();
        CompletableFuture<String> f = new CompletableFuture<>();
        pending.put(id, f);
        page.sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + paramsJson + "}", true)
                .get(10, TimeUnit.SECONDS);
        String answer = f.get(60, TimeUnit.SECONDS);
        if (answer.contains("\"error\":{")) {
            throw new AssertionError(method + " failed: " + answer);
        }
        return answer;
    }

    /** Sets the viewport (CSS pixels), loads {@code url} and waits for its load event. */
    void open(String url, int width, int height, boolean mobile) throws Exception {
        call("Page.enable", "{}");
        call("Emulation.setDeviceMetricsOverride", "{\"width\":" + width + ",\"height\":" + height
                + ",\"deviceScaleFactor\":1,\"mobile\":" + mobile + "}");
        CompletableFuture<Void> load = new CompletableFuture<>();
        loaded = load;
        call("Page.navigate", "{\"url\":\"" + url + "\"}");
        load.get(60, TimeUnit.SECONDS);
    }

    /** Evaluates {@code expression} (a promise is awaited); its value as a string. */
    String eval(String expression) throws Exception {
        String answer = call("Runtime.evaluate", "{\"expression\":" + quote(expression)
                + ",\"awaitPromise\":true,\"returnByValue\":true}");
        if (answer.contains("\"exceptionDetails\"")) {
            throw new AssertionError("script failed: " + answer);
        }
        return field(answer, "value");
    }

    /** A PNG of the viewport. */
    byte[] screenshot() throws Exception {
        return Base64.getDecoder().decode(field(call("Page.captureScreenshot", "{\"format\":\"png\"}"), "data"));
    }

    /** The text of the first field called {@code name}, at any depth. */
    static String field(String json, String name) throws IOException {
        try (JsonParser p = JSON.createParser(json)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME && p.currentName().equals(name)) {
                    p.nextToken();
                    return p.getText();
                }
            }
        }
        throw new AssertionError("no " + name + " in " + json);
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> b.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return b.append('"').toString();
    }

    @Override
    public void close() throws Exception {
        page.abort();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        try (var walk = Files.walk(profile)) {
            walk.sorted((a, b) -> b.compareTo(a)).map(Path::toFile).forEach(File::delete);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final Pattern idPattern = Pattern.compile("^\\{\"id\":(\\d+),");

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String msg = text.toString();
                text.setLength(0);
                Matcher m = idPattern.matcher(msg);
                if (msg.contains("\"method\":\"Page.loadEventFired\"")) {
                    loaded.complete(null);
                } else if (m.find()) {
                    CompletableFuture<String> f = pending.remove(Integer.parseInt(m.group(1)));
                    if (f != null) {
                        f.complete(msg);
                    }
                }
            }
            ws.request(1);
            return null;
        }
    }
}

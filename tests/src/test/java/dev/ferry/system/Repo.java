package dev.ferry.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** Helpers shared by the system tests: the repository root and waiting for a device. */
final class Repo {
    private Repo() { }

    static Path root() {
        String r = System.getProperty("ferry.root");
        return (r != null ? Path.of(r) : Path.of("..")).toAbsolutePath().normalize();
    }

    /**
     * Waits until {@code device} is ATTACHED, by observing {@code /#runtime/devices} over SSE: the
     * runtime pushes a new reading on every device state change, so this wakes on the event.
     */
    static void awaitAttached(HttpClient http, String base, String device) throws Exception {
        awaitEvent(http, base + "/%23runtime/devices", line -> attached(line, device));
    }

    /** Waits, on the SSE observation of {@code url}, for an event containing {@code text}. */
    static void awaitEvent(HttpClient http, String url, String text) throws Exception {
        awaitEvent(http, url, line -> line.contains(text));
    }

    /** Waits, on the SSE observation of {@code url}, for an event whose data line {@code wanted} accepts. */
    static void awaitEvent(HttpClient http, String url, java.util.function.Predicate<String> wanted)
            throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(30)).build();
        HttpResponse<java.io.InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        String last = "";
        try (java.io.BufferedReader in = new java.io.BufferedReader(
                new java.io.InputStreamReader(r.body(), java.nio.charset.StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("data:")) {
                    last = line;
                    if (wanted.test(line)) {
                        return;
                    }
                }
            }
        }
        throw new AssertionError("no awaited event from " + url + " before it ended: " + last);
    }

    private static boolean attached(String json, String device) {
        int at = json.indexOf("\"name\":\"" + device + "\"");
        if (at < 0) {
            return false;
        }
        int end = json.indexOf('}', at);
        return json.substring(at, end < 0 ? json.length() : end).contains("\"state\":\"ATTACHED\"");
    }
}

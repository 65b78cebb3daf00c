package dev.ferry.edge.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The status page's files, read once from the classpath ({@code web/}): {@code /} serves
 * {@code index.html}, {@code /#ui/<name>} the others ({@code http-api.md} is
 * {@code docs/http-api.md}, copied there by the build). A fixed, small set; nothing is read from
 * disk at request time and no path from a request reaches the class loader.
 */
final class StaticPages {
    /** One file and its Content-Type. */
    record Page(byte[] bytes, String contentType) { }

    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8",
            "http-api.md", "text/plain; charset=utf-8");

    private final Map<String, Page> pages = new TreeMap<>();

    StaticPages() {
        FILES.forEach((name, type) -> {
            try (InputStream in = StaticPages.class.getClassLoader().getResourceAsStream("web/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("missing classpath resource web/" + name);
                }
                pages.put(name, new Page(in.readAllBytes(), type));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The page for a decoded request path, or null. */
    Page lookup(String path) {
        if (path.equals("/")) {
            return pages.get("index.html");
        }
        if (path.startsWith("/#ui/")) {
            return pages.get(path.substring(5));
        }
        return null;
    }
}

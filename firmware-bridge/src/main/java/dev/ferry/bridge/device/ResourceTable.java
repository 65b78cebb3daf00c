package dev.ferry.bridge.device;

import dev.ferry.rp.Decoded;
import dev.ferry.rp.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A station's resource table for version 2 index forms (PROTOCOL.md 8.2): its answer to
 * {@code GET /}, a JSON array of path strings; entry 1 is the first path listed. Anything else
 * (not an array of strings, a string that is not a path, more than 31 entries used) gives the
 * table it could read up to that point, or an empty one: index forms are an optimisation, and a
 * link without them only writes paths out in full.
 */
final class ResourceTable {
    private ResourceTable() {
    }

    static List<Path> parse(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8).trim();
        List<Path> out = new ArrayList<>();
        if (!s.startsWith("[") || !s.endsWith("]")) {
            return List.of();
        }
        int i = 1;
        int end = s.length() - 1;
        while (true) {
            i = skipBlanks(s, i, end);
            if (i >= end || s.charAt(i) != '"') {
                return i >= end ? List.copyOf(out) : List.of();
            }
            StringBuilder p = new StringBuilder();
            for (i++; i < end && s.charAt(i) != '"'; i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < end) {
                    c = s.charAt(++i);
                }
                p.append(c);
            }
            if (i >= end) {
                return List.of();
            }
            Decoded<Path> d = Path.parse(p.toString());
            if (!d.isOk()) {
                return List.of();
            }
            out.add(d.value());
            i = skipBlanks(s, i + 1, end);
            if (i < end && s.charAt(i) == ',') {
                i++;
            } else if (i < end) {
                return List.of();
            }
        }
    }

    private static int skipBlanks(String s, int i, int end) {
        while (i < end && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}

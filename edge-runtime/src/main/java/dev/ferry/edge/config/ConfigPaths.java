package dev.ferry.edge.config;

/**
 * RP path checks for config values, following PROTOCOL.md 5.2: 1..255 printable ASCII bytes
 * starting with {@code /}, no empty, {@code .} or {@code ..} segment; returned in normal form
 * ({@code /a/#x} becomes {@code /a#x}, no trailing {@code /}).
 */
final class ConfigPaths {
    static final String EXPECTED = "an RP path (starts with '/', printable ASCII, at most 255 bytes,"
            + " no empty, '.' or '..' segments)";
    static final String EXPECTED_NO_TAG = "an RP path without '#' (starts with '/', printable ASCII,"
            + " at most 255 bytes, no empty, '.' or '..' segments)";

    private ConfigPaths() {
    }

    /** The normal form of {@code text}, or null if it is not a valid RP path. */
    static String normalise(String text) {
        if (text.isEmpty() || text.length() > 255 || text.charAt(0) != '/' || text.contains("//")) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return null;
            }
            int last = out.length() - 1;
            if (c == '#' && last > 0 && out.charAt(last) == '/') {
                out.setLength(last);
            } else if (c == '/' && last >= 0 && out.charAt(last) == '#') {
                continue;
            }
            out.append(c);
        }
        if (out.length() > 1 && out.charAt(out.length() - 1) == '/') {
            out.setLength(out.length() - 1);
        }
        String n = out.toString();
        for (String seg : n.substring(1).split("[/#]", -1)) {
            if (seg.equals(".") || seg.equals("..")) {
                return null;
            }
        }
        return n;
    }

    /**
     * Whether {@code prefix} covers {@code path}: equal, or {@code path} continues after it with
     * {@code /} or {@code #}. The root covers everything.
     */
    static boolean covers(String prefix, String path) {
        if (prefix.equals("/") || prefix.equals(path)) {
            return true;
        }
        if (!path.startsWith(prefix) || path.length() == prefix.length()) {
            return false;
        }
        char next = path.charAt(prefix.length());
        return next == '/' || next == '#';
    }
}

package dev.ferry.rp;

/**
 * A validated RP path in normal form (PROTOCOL.md 5.2). Two paths are equal when their normal
 * forms are equal, so {@code /a/#x} and {@code /a#x} are the same path. Instances are immutable.
 */
public final class Path implements Comparable<Path> {
    /** Longest path in bytes, as received. */
    public static final int MAX_LENGTH = 255;
    /** The root path {@code /}. */
    public static final Path ROOT = new Path("/");

    private final String normal;

    private Path(String normal) {
        this.normal = normal;
    }

    /**
     * Validates and normalises {@code text}; returns {@link DecodeError#BAD_PATH} for an empty or
     * over-long path, one not starting with {@code /}, a byte outside 21..7E, an empty segment or
     * a {@code .}/{@code ..} segment. Never throws on bad input (null is BAD_PATH too).
     */
    public static Decoded<Path> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH || text.charAt(0) != '/') {
            return Decoded.error(DecodeError.BAD_PATH);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return Decoded.error(DecodeError.BAD_PATH);
            }
        }
        if (text.contains("//")) {
            return Decoded.error(DecodeError.BAD_PATH);
        }
        String n = isNormal(text) ? text : normalise(text);
        if (hasDotSegment(n)) {
            return Decoded.error(DecodeError.BAD_PATH);
        }
        return Decoded.ok(n.equals("/") ? ROOT : new Path(n));
    }

    /** True when {@link #normalise} would return {@code text} unchanged (the common case: no copy). */
    private static boolean isNormal(String text) {
        int len = text.length();
        if (len > 1 && text.charAt(len - 1) == '/') {
            return false;
        }
        for (int i = 1; i < len; i++) {
            char c = text.charAt(i);
            char before = text.charAt(i - 1);
            if ((c == '#' && before == '/' && i > 1) || (c == '/' && before == '#')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Like {@link #parse(String)} for paths written by the program itself.
     *
     * @throws IllegalArgumentException if the path is not valid
     */
    public static Path of(String text) {
        Decoded<Path> p = parse(text);
        if (!p.isOk()) {
            throw new IllegalArgumentException("bad RP path: " + text);
        }
        return p.value();
    }

    private static String normalise(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int last = out.length() - 1;
            if (c == '#' && last > 0 && out.charAt(last) == '/') {
                out.setLength(last);                       // rule 1: "/#" -> "#" unless first byte
            } else if (c == '/' && last >= 0 && out.charAt(last) == '#') {
                continue;                                  // rule 2: "#/" -> "#"
            }
            out.append(c);
        }
        int len = out.length();
        if (len > 1 && out.charAt(len - 1) == '/') {
            out.setLength(len - 1);                        // rule 3: no trailing "/"
        }
        return out.toString();
    }

    private static boolean hasDotSegment(String n) {
        int start = 1;
        for (int i = 1; i <= n.length(); i++) {
            if (i == n.length() || n.charAt(i) == '/' || n.charAt(i) == '#') {
                int len = i - start;
                if ((len == 1 || len == 2) && n.charAt(start) == '.' && n.charAt(i - 1) == '.') {
                    return true;                           // "." or ".."
                }
                start = i + 1;
            }
        }
        return false;
    }

    /** True if this path has a tag ({@code #}) in it. */
    public boolean hasTag() {
        return normal.indexOf('#') >= 0;
    }

    /** The normal form, as written on the wire by encoders. */
    @Override
    public String toString() {
        return normal;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Path p && p.normal.equals(normal);
    }

    @Override
    public int hashCode() {
        return normal.hashCode();
    }

    @Override
    public int compareTo(Path o) {
        return normal.compareTo(o.normal);
    }
}

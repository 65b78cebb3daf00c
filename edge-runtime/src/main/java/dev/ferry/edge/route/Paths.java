package dev.ferry.edge.route;

import dev.ferry.rp.Decoded;
import dev.ferry.rp.Path;

/** Prefix arithmetic on RP paths: matching at segment boundaries, stripping and adding. */
public final class Paths {
    private Paths() { }

    /**
     * True when {@code prefix} is {@code path} or an ancestor of it: {@code /a} covers {@code /a},
     * {@code /a/b} and {@code /a#x}, but not {@code /ab}. The root covers everything.
     */
    public static boolean covers(Path prefix, Path path) {
        String p = prefix.toString();
        String s = path.toString();
        if (p.equals("/")) {
            return true;
        }
        if (!s.startsWith(p)) {
            return false;
        }
        if (s.length() == p.length()) {
            return true;
        }
        char next = s.charAt(p.length());
        return next == '/' || next == '#';
    }

    /**
     * {@code path} with {@code strip} removed from its front and {@code add} put in its place;
     * a BAD_PATH error when the result is not a valid path (e.g. longer than 255 bytes).
     * The caller ensures {@code covers(strip, path)}.
     */
    public static Decoded<Path> rewrite(Path path, Path strip, Path add) {
        String rest = strip.toString().equals("/") ? path.toString()
                : path.toString().substring(strip.toString().length());
        return join(add, rest);
    }

    /** {@code mount} followed by {@code path}, as seen from the host's namespace. */
    public static Decoded<Path> under(Path mount, Path path) {
        return mount.toString().equals("/") ? Decoded.ok(path) : join(mount, path.toString());
    }

    private static Decoded<Path> join(Path base, String rest) {
        String b = base.toString().equals("/") ? "" : base.toString();
        if (rest.isEmpty() || rest.equals("/")) {
            return Path.parse(b.isEmpty() ? "/" : b);
        }
        if (rest.charAt(0) == '#') {
            return Path.parse((b.isEmpty() ? "/" : b) + rest);
        }
        return Path.parse(b + rest);
    }
}

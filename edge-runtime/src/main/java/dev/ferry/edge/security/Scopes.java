package dev.ferry.edge.security;

import dev.ferry.edge.route.Paths;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a LAN client may do, as granted in the token store ({@link TokenStore}): read and write
 * per path prefix, the facade's own pages, rendezvous namespaces. Immutable.
 *
 * <p>Rules a caller may rely on:
 * <ul>
 *   <li>read covers GET (plain, observe, HEAD); write covers PUT, POST, PATCH and DELETE. Neither
 *       implies the other.</li>
 *   <li>A prefix covers a path at segment boundaries ({@link Paths#covers}): {@code /a} covers
 *       {@code /a}, {@code /a/b}, {@code /a#x}, not {@code /ab}.</li>
 *   <li>The gateway's reserved top-level trees ({@code /#runtime}, {@code /#lan}, any path
 *       starting {@code /#}) are covered only by a prefix that itself starts with {@code /#}:
 *       {@code read:/} reaches every device but not {@code /#runtime}; {@code read:/#runtime} is
 *       the runtime's own scope.</li>
 *   <li>{@code metrics} opens {@code /metrics}; {@code status} the status page's files.</li>
 *   <li>{@code register:NS} lets a rendezvous client register in (and enter and discover) namespace
 *       NS, {@code discover:NS} only enter and discover it; NS {@code *} is every namespace.</li>
 * </ul>
 *
 * @param read     prefixes readable
 * @param write    prefixes writable
 * @param metrics  may GET {@code /metrics}
 * @param status   may GET the status page ({@code /}, {@code /#ui/...})
 * @param register rendezvous namespaces it may register in
 * @param discover rendezvous namespaces it may enter and discover
 */
public record Scopes(List<Path> read, List<Path> write, boolean metrics, boolean status,
                     List<String> register, List<String> discover) {
    /** Nothing at all. */
    public static final Scopes NONE = new Scopes(List.of(), List.of(), false, false, List.of(), List.of());
    /** Every namespace, in {@code register:*} and {@code discover:*}. */
    public static final String ANY_NAMESPACE = "*";

    public Scopes {
        read = List.copyOf(read);
        write = List.copyOf(write);
        register = List.copyOf(register);
        discover = List.copyOf(discover);
    }

    /** Whether a request with {@code verb} to {@code path} (host namespace) is within scope. */
    public boolean allows(Verb verb, Path path) {
        Objects.requireNonNull(path, "path");
        return covered(isRead(verb) ? read : write, path);
    }

    /** GET is a read; every other request verb is a write. */
    public static boolean isRead(Verb verb) {
        return verb == Verb.GET;
    }

    private static boolean covered(List<Path> prefixes, Path path) {
        boolean reserved = reserved(path);
        for (Path p : prefixes) {
            if (Paths.covers(p, path) && (!reserved || reserved(p))) {
                return true;
            }
        }
        return false;
    }

    private static boolean reserved(Path p) {
        return p.toString().startsWith("/#");
    }

    /** Whether it may register in rendezvous namespace {@code ns}. */
    public boolean mayRegister(String ns) {
        return names(register, ns);
    }

    /** Whether it may enter rendezvous on, or discover, namespace {@code ns}. */
    public boolean mayDiscover(String ns) {
        return names(register, ns) || names(discover, ns);
    }

    private static boolean names(List<String> list, String ns) {
        return list.contains(ANY_NAMESPACE) || list.contains(ns);
    }

    /** The scopes as written in the token store: {@code read:/a write:/a/b metrics ...}. */
    public List<String> words() {
        List<String> out = new ArrayList<>();
        read.forEach(p -> out.add("read:" + p));
        write.forEach(p -> out.add("write:" + p));
        if (metrics) {
            out.add("metrics");
        }
        if (status) {
            out.add("status");
        }
        register.forEach(n -> out.add("register:" + n));
        discover.forEach(n -> out.add("discover:" + n));
        return out;
    }

    /**
     * Parses one scope word into {@code into}; returns null when done, else what was wrong with it
     * (for the caller's error line).
     */
    static String parse(String word, Builder into) {
        int colon = word.indexOf(':');
        String kind = colon < 0 ? word : word.substring(0, colon);
        String arg = colon < 0 ? null : word.substring(colon + 1);
        switch (kind) {
            case "metrics", "status" -> {
                if (arg != null) {
                    return "scope " + kind + " takes no argument";
                }
                if (kind.equals("metrics")) {
                    into.metrics = true;
                } else {
                    into.status = true;
                }
                return null;
            }
            case "read", "write" -> {
                var p = arg == null ? null : Path.parse(arg);
                if (p == null || !p.isOk()) {
                    return "scope " + kind + ": needs an RP path, e.g. " + kind + ":/dev0";
                }
                (kind.equals("read") ? into.read : into.write).add(p.value());
                return null;
            }
            case "register", "discover" -> {
                if (arg == null || !validNamespace(arg)) {
                    return "scope " + kind + ": needs a namespace of 1..128 printable characters, or *";
                }
                (kind.equals("register") ? into.register : into.discover).add(arg);
                return null;
            }
            default -> {
                return "unknown scope '" + word + "' (read:PATH, write:PATH, metrics, status, register:NS, discover:NS)";
            }
        }
    }

    static boolean validNamespace(String ns) {
        if (ns.isEmpty() || ns.length() > 128) {
            return false;
        }
        return ns.chars().allMatch(c -> c > 0x20 && c < 0x7F);
    }

    /** Collects scopes while parsing. */
    static final class Builder {
        final List<Path> read = new ArrayList<>();
        final List<Path> write = new ArrayList<>();
        boolean metrics;
        boolean status;
        final List<String> register = new ArrayList<>();
        final List<String> discover = new ArrayList<>();

        Scopes build() {
            return new Scopes(read, write, metrics, status, register, discover);
        }
    }
}

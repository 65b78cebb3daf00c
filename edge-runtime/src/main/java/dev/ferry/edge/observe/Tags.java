package dev.ferry.edge.observe;

import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;

/**
 * Which requests shared observations take, by their reserved tags (DESIGN.md 3): {@code #obs}
 * is the decorator's own (its upstream return paths and its subscribers' streams);
 * {@code #streams} and {@code #flow} are live stream state, never cached or shared;
 * {@code #changes} observes. Pure functions.
 */
final class Tags {
    /** The decorator's tag. */
    static final String OBS = "obs";
    /**
     * Longest request body (parameters, e.g. a period) a shared observation or a cached GET is
     * keyed by; a request with a longer body goes to the endpoint as it is, unshared.
     */
    static final int MAX_PARAMS = 256;

    private Tags() { }

    /** True when {@code p} has the tag {@code name} ({@code #name} followed by nothing, '/' or '#'). */
    static boolean has(Path p, String name) {
        String s = p.toString();
        int i = s.indexOf('#');
        while (i >= 0) {
            int end = i + 1 + name.length();
            if (s.startsWith(name, i + 1) && (end == s.length() || s.charAt(end) == '/' || s.charAt(end) == '#')) {
                return true;
            }
            i = s.indexOf('#', i + 1);
        }
        return false;
    }

    /** A path whose value may be cached and shared: not a stream, its flow, or ours. */
    static boolean cacheable(Path p) {
        return p.hasTag() ? !has(p, "streams") && !has(p, "flow") && !has(p, OBS) : true;
    }

    /** A GET that observes: not the end of its stream (E0), or addressed to {@code #changes}. */
    static boolean observes(Message m) {
        return m.verb() == Verb.GET && (!m.eof() || m.to().toString().endsWith("#changes"));
    }

    /** {@code p} without a trailing {@code #flow}: the stream a flow request is about. */
    static Path streamOf(Path p) {
        String s = p.toString();
        if (s.endsWith("#flow") && s.length() > 5) {
            dev.ferry.rp.Decoded<Path> d = Path.parse(s.substring(0, s.length() - 5));
            return d.isOk() ? d.value() : p;
        }
        return p;
    }
}

package dev.ferry.edge.config;

import java.util.Objects;

/**
 * Where a route sends messages, written {@code device:<name>}, {@code peer:<id>} or
 * {@code runtime}. For RUNTIME the name is empty.
 *
 * @param kind what the target is
 * @param name device name or peer id
 */
public record RouteTarget(Kind kind, String name) {
    /** Target kinds. */
    public enum Kind { DEVICE, PEER, RUNTIME }

    public RouteTarget {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    /**
     * Parses the written form.
     *
     * @throws IllegalArgumentException if it is not one of the three forms with a non-empty name
     */
    public static RouteTarget parse(String text) {
        if (text.equals("runtime")) {
            return new RouteTarget(Kind.RUNTIME, "");
        }
        if (text.startsWith("device:") && text.length() > 7) {
            return new RouteTarget(Kind.DEVICE, text.substring(7));
        }
        if (text.startsWith("peer:") && text.length() > 5) {
            return new RouteTarget(Kind.PEER, text.substring(5));
        }
        throw new IllegalArgumentException(text);
    }

    /** The written form, e.g. {@code device:dev0}; also the router's endpoint id. */
    @Override
    public String toString() {
        return kind == Kind.RUNTIME ? "runtime" : kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + name;
    }
}

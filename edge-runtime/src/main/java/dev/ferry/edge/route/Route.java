package dev.ferry.edge.route;

import dev.ferry.rp.Decoded;
import dev.ferry.rp.Path;
import java.util.Objects;

/**
 * One entry of the fixed route table: messages whose {@code to} lies under {@link #prefix} go to
 * the endpoint {@link #target}, with {@link #strip} removed from the front of {@code to} and
 * {@link #add} put in its place (the seed's composition facade: a facade only rewrites paths).
 *
 * @param prefix where the route applies (longest prefix wins)
 * @param target the endpoint id, e.g. {@code device:dev0}
 * @param strip  the prefix removed from {@code to}; must cover {@code prefix}'s paths
 * @param add    the prefix added in its place ({@link Path#ROOT} for none)
 */
public record Route(Path prefix, String target, Path strip, Path add) {
    public Route {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(strip, "strip");
        Objects.requireNonNull(add, "add");
        if (!Paths.covers(strip, prefix)) {
            throw new IllegalArgumentException("strip " + strip + " must be a prefix of " + prefix);
        }
    }

    /** A route that strips its own prefix and adds nothing: a mount point. */
    public static Route mount(Path prefix, String target) {
        return new Route(prefix, target, prefix, Path.ROOT);
    }

    /** {@code to} rewritten for the target's namespace. */
    public Decoded<Path> rewrite(Path to) {
        return Paths.rewrite(to, strip, add);
    }
}

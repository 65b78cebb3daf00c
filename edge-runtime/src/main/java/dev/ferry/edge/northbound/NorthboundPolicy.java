package dev.ferry.edge.northbound;

import dev.ferry.edge.config.NorthboundConfig;
import dev.ferry.edge.route.AccessPolicy;
import dev.ferry.edge.route.Paths;
import dev.ferry.edge.route.Principal;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.util.List;

/**
 * The NORTHBOUND rule of the gateway's policy, from {@code [northbound]}: the publisher may GET
 * what it publishes (and the members of those resources, such as {@code #schema}) and what it
 * may command; it may PUT and POST only under the {@code commands} prefixes; it may DELETE (cancel)
 * a stream of a resource it publishes ({@code <published>#streams/<k>}) that no principal owns
 * any more (the router checks ownership first: a stream another principal owns stays theirs), which
 * is how it cancels an observation an MCU kept running across a lost link; nothing else. So a
 * broker's user who can publish commands reaches no more than the operator listed.
 */
public final class NorthboundPolicy implements AccessPolicy {
    private final List<Path> read;
    private final List<Path> write;

    public NorthboundPolicy(NorthboundConfig cfg) {
        this.read = cfg.publish().stream().map(Path::of).toList();
        this.write = cfg.commands().stream().map(Path::of).toList();
    }

    @Override
    public String refuse(Principal who, Verb verb, Path to) {
        if (verb == Verb.GET && (covered(read, to) || covered(write, to))) {
            return null;
        }
        if ((verb == Verb.PUT || verb == Verb.POST) && covered(write, to)) {
            return null;
        }
        if (verb == Verb.DELETE && to.toString().contains("#streams/") && covered(read, to)) {
            return null;
        }
        return "northbound may not " + verb + " " + to + " (see [northbound] publish and commands)";
    }

    private static boolean covered(List<Path> prefixes, Path to) {
        for (Path p : prefixes) {
            if (Paths.covers(p, to)) {
                return true;
            }
        }
        return false;
    }
}

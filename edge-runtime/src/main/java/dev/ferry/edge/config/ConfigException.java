package dev.ferry.edge.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration that Ferry refuses to start with. Carries every problem the loader found, in
 * file order (problems without a known line last); never empty. The message is one
 * {@link ConfigProblem#message()} per line.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(render(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in file order; never empty. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String render(List<ConfigProblem> problems) {
        return problems.stream().map(ConfigProblem::message).collect(Collectors.joining("\n"));
    }
}

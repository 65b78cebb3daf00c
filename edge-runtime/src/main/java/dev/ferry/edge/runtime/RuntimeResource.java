package dev.ferry.edge.runtime;

/**
 * One resource under {@code /#runtime}: renders its current state as JSON. Observable resources
 * push a new reading to their observers whenever {@link RuntimeResources#changed} names them, and
 * on every tick when {@link #periodic} is true.
 *
 * @param name     the path below {@code /#runtime}, e.g. {@code devices}
 * @param render   produces the JSON body; called on the runtime thread
 * @param periodic true to push on every tick (e.g. metrics)
 * @param schema   the JSON for {@code #schema}
 */
public record RuntimeResource(String name, Json.Writer render, boolean periodic, String schema) { }

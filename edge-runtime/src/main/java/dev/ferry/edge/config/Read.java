package dev.ferry.edge.config;

/**
 * A value read from a table, kept with its reader so that later cross-checks can report problems
 * at the right key and line.
 */
record Read<T>(T value, TableReader at) {
}

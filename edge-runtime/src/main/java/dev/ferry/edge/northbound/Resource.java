package dev.ferry.edge.northbound;

import dev.ferry.rp.Path;

/**
 * One published RP resource: which group (Sparkplug device) it belongs to, the metric name its
 * values start with, its schema, and the state of its observation. Touched on the engine thread only.
 */
final class Resource {
    final Path path;
    final Group group;
    /** The metric name of the whole value: the path below the group's mount, without '/'. */
    final String base;
    ResourceSchema schema = ResourceSchema.UNKNOWN;
    /** The return path of the open observation request (ours), or null. */
    String request;
    /** The stream the resource answers from (to cancel it), or null. */
    Path stream;
    /**
     * The stream that was open when the device was lost: an MCU that comes back without a reset
     * still runs it, so it is cancelled when the device attaches again (else it keeps a stream
     * slot of the MCU and sends readings nobody waits for).
     */
    Path orphan;
    /** The last raw body (plain mode compares and publishes it). */
    byte[] lastBody;
    String lastType;
    long lastMs;
    boolean valueSeen;

    Resource(Path path, Group group, String base) {
        this.path = path;
        this.group = group;
        this.base = base;
    }
}

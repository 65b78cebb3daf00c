package dev.ferry.edge.config;

/**
 * {@code [observations]}: shared observations and the last-value cache (issue 16). Every value is
 * within the range given here when the loader returns it, and
 * {@code maxSubscribersPerResource <= maxSubscribers}.
 *
 * @param lingerMs                  how long a shared MCU stream stays open after its last
 *                                  subscriber left, 0..600000 (default 2000)
 * @param maxSubscribersPerResource subscribers of one shared observation, 1..65536 (default 256)
 * @param maxSubscribers            subscribers of all shared observations together, 1..1048576
 *                                  (default 1024); each is also one of the router's
 *                                  {@code limits.max_streams}
 * @param maxSkipped                updates in a row a subscriber could not take (it gets the
 *                                  latest one once it can) before it is cut off, 1..1000000
 *                                  (default 32)
 * @param cacheEntries              last values kept, 1..1048576 (default 1024)
 * @param cacheBytes                bytes of last values kept (bodies and paths), 1024..1073741824
 *                                  (default 1048576)
 */
public record ObservationsConfig(int lingerMs, int maxSubscribersPerResource, int maxSubscribers, int maxSkipped,
                                 int cacheEntries, int cacheBytes) {
    /** The defaults, as documented in the sample config. */
    public static final ObservationsConfig DEFAULTS = new ObservationsConfig(2000, 256, 1024, 32, 1024, 1 << 20);

    public ObservationsConfig {
        if (lingerMs < 0 || maxSubscribersPerResource < 1 || maxSubscribers < maxSubscribersPerResource
                || maxSkipped < 1 || cacheEntries < 1 || cacheBytes < 1024) {
            throw new IllegalArgumentException("observation limits out of range");
        }
    }
}

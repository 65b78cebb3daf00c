package dev.ferry.edge.route;

import java.util.Objects;

/**
 * What travels beside an RP message through the router but is not part of RP itself: who sent it
 * (the {@link Principal}), what a request accepts from a cache, and where a reply's value came
 * from. RESI carries the same fields between gateways ({@code RpMessage} fields 20-24); HTTP maps
 * them to headers ({@code Cache-Control: max-age}, {@code Age}; see {@code http.CacheHeaders}) and
 * WebSocket to frame fields. Immutable.
 *
 * @param principal   who sent the message (authorization, stream ownership)
 * @param maxAgeMs    request: a cached value at most this old (ms) may answer it; -1 = the requester
 *                    said nothing (the gateway's configured default for the resource applies, if
 *                    any, else the value must be live); 0 = must be live
 * @param acceptStale request: a cached value may answer while the device is down (marked stale)
 * @param ageMs       reply: how old the value was when sent (ms); -1 = unknown / live
 * @param cached      reply: the value came from the gateway's last-value cache, not the MCU now
 * @param stale       reply: the value's source is down; it is the last one seen
 */
public record Meta(Principal principal, long maxAgeMs, boolean acceptStale, long ageMs, boolean cached,
                   boolean stale) {
    public Meta {
        Objects.requireNonNull(principal, "principal");
        if (maxAgeMs < -1 || ageMs < -1) {
            throw new IllegalArgumentException("maxAgeMs and ageMs are -1 or >= 0");
        }
    }

    /** Just a principal: a live request, or a reply with nothing to say about freshness. */
    public static Meta of(Principal principal) {
        return new Meta(principal, -1, false, -1, false, false);
    }

    public Meta withPrincipal(Principal p) {
        return new Meta(p, maxAgeMs, acceptStale, ageMs, cached, stale);
    }

    /** A request that accepts cached values up to {@code ms} old (and stale ones when asked). */
    public Meta withCache(long ms, boolean stale) {
        return new Meta(principal, ms, stale, ageMs, cached, this.stale);
    }

    /** True when a reply says anything about freshness (an age, the cache, staleness). */
    public boolean hasFreshness() {
        return ageMs >= 0 || cached || stale;
    }

    /** True when a request says anything about the cache (a max-age or accepting stale values). */
    public boolean hasCacheHints() {
        return maxAgeMs >= 0 || acceptStale;
    }

    /** A reply whose value is {@code ageMs} old, from the cache or not, stale or not. */
    public Meta withFreshness(long age, boolean fromCache, boolean isStale) {
        return new Meta(principal, maxAgeMs, acceptStale, age, fromCache, isStale);
    }
}

package dev.ferry.edge.resi;

import dev.ferry.rp.Path;

/**
 * A small direct-mapped cache from wire text to a validated {@link Path}, so the paths that repeat
 * in every message of a stream are validated and normalised once. Bounded ({@code slots} entries,
 * a power of two; a colliding text replaces the older one). Thread-safe without a lock: each slot
 * holds an immutable entry, and a racing put only costs a later miss.
 */
final class PathCache {
    private record Entry(String text, Path path) { }

    private final Entry[] slots;

    PathCache(int slots) {
        if (slots < 1 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        this.slots = new Entry[slots];
    }

    /** The path cached for exactly {@code text}, or null. */
    Path get(String text) {
        Entry e = slots[index(text)];
        return e != null && e.text.equals(text) ? e.path : null;
    }

    /** Caches {@code path}, the parse of {@code text}. */
    void put(String text, Path path) {
        slots[index(text)] = new Entry(text, path);
    }

    private int index(String text) {
        int h = text.hashCode();
        return (h ^ (h >>> 16)) & (slots.length - 1);
    }
}

package dev.ferry.edge.resi;

import dev.ferry.rp.Path;

/**
 * A small cache from wire text to a validated {@link Path}, so the paths that repeat in every
 * message of a stream are validated and normalised once. Bounded ({@code slots} entries, a power
 * of two) and two-way: a text lives in one pair of slots, the newest entry first, so two hot
 * texts whose hashes collide (a stream's {@code to} and {@code from}, say) both stay cached;
 * a third one evicts the older of the pair. Thread-safe without a lock: each slot holds an
 * immutable entry, and a racing put only costs a later miss.
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
        int i = index(text);
        Entry e = slots[i];
        if (e != null && e.text.equals(text)) {
            return e.path;
        }
        e = slots[i ^ 1];
        return e != null && e.text.equals(text) ? e.path : null;
    }

    /** Caches {@code path}, the parse of {@code text}: first in its pair, the other entry second. */
    void put(String text, Path path) {
        int i = index(text);
        Entry first = slots[i];
        if (first != null && !first.text.equals(text)) {
            slots[i ^ 1] = first;
        }
        slots[i] = new Entry(text, path);
    }

    /** The first slot of {@code text}'s pair (the pair is this index and this index ^ 1). */
    private int index(String text) {
        int h = text.hashCode();
        return (h ^ (h >>> 16)) & (slots.length - 1) & ~1;
    }
}

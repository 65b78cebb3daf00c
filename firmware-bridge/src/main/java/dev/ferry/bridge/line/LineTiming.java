package dev.ferry.bridge.line;

/**
 * Time a character stream takes on the wire.
 *
 * <p>Callers may rely on: results are exact integer nanoseconds rounded up, so a transmitter
 * released at {@code start + nanosFor(...)} is never released before the last stop bit.
 */
public final class LineTiming {

    private LineTiming() {
    }

    /**
     * Nanoseconds that {@code bytes} characters of {@code bitsPerCharacter} bits take at
     * {@code baud} bits per second.
     *
     * @throws IllegalArgumentException on a negative count or non-positive baud/bits
     */
    public static long nanosFor(long bytes, int baud, int bitsPerCharacter) {
        if (bytes < 0 || baud <= 0 || bitsPerCharacter <= 0) {
            throw new IllegalArgumentException("bytes=" + bytes + " baud=" + baud + " bits=" + bitsPerCharacter);
        }
        long bits = Math.multiplyExact(bytes, (long) bitsPerCharacter);
        long numerator = Math.multiplyExact(bits, 1_000_000_000L);
        return (numerator + baud - 1) / baud;
    }
}

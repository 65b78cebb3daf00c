package dev.ferry.rp;

import java.util.Objects;

/**
 * The outcome of decoding: a value, a typed {@link DecodeError}, or (for streaming decoders that
 * need more input) pending. Exactly one of the three holds.
 *
 * @param <T> the decoded value type
 */
public final class Decoded<T> {
    private static final Decoded<?> PENDING = new Decoded<>(null, null);

    private final T value;
    private final DecodeError error;

    private Decoded(T value, DecodeError error) {
        this.value = value;
        this.error = error;
    }

    /** A successful result; {@code value} must not be null. */
    public static <T> Decoded<T> ok(T value) {
        return new Decoded<>(Objects.requireNonNull(value, "value"), null);
    }

    /** A failed result. */
    public static <T> Decoded<T> error(DecodeError error) {
        return new Decoded<>(null, Objects.requireNonNull(error, "error"));
    }

    /** Neither value nor error yet: more input is needed. */
    @SuppressWarnings("unchecked")
    public static <T> Decoded<T> pending() {
        return (Decoded<T>) PENDING;
    }

    public boolean isOk() {
        return value != null;
    }

    public boolean isError() {
        return error != null;
    }

    public boolean isPending() {
        return value == null && error == null;
    }

    /** The value; throws {@link IllegalStateException} if this is not {@link #isOk()}. */
    public T value() {
        if (value == null) {
            throw new IllegalStateException("no value: " + this);
        }
        return value;
    }

    /** The error, or null when this is a value or pending. */
    public DecodeError error() {
        return error;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Decoded<?> d && Objects.equals(value, d.value) && error == d.error;
    }

    @Override
    public int hashCode() {
        return Objects.hash(value, error);
    }

    @Override
    public String toString() {
        return isOk() ? "Ok[" + value + "]" : isError() ? "Error[" + error + "]" : "Pending";
    }
}

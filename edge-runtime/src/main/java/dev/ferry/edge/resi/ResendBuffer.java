package dev.ferry.edge.resi;

import java.util.function.BiConsumer;

/**
 * The sender's unacknowledged envelopes, in sequence order, bounded twice: at most
 * {@code capacity} envelopes ({@code resend_buffer}), and it is full once it holds
 * {@code maxBytes} (so it never holds more than {@code maxBytes} plus one envelope, whatever the
 * envelopes' sizes). Sequence numbers added are consecutive. Pure code, not thread-safe.
 */
public final class ResendBuffer {
    private final long[] seqs;
    private final byte[][] envelopes;
    private final long maxBytes;
    private int head;
    private int size;
    private long bytes;

    public ResendBuffer(int capacity, long maxBytes) {
        if (capacity < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("capacity and maxBytes must be positive");
        }
        seqs = new long[capacity];
        envelopes = new byte[capacity][];
        this.maxBytes = maxBytes;
    }

    /** Keeps {@code envelope} until acknowledged; false (nothing kept) when full. */
    public boolean add(long seq, byte[] envelope) {
        if (isFull()) {
            return false;
        }
        if (size > 0 && seq != newest() + 1) {
            throw new IllegalArgumentException("sequence " + seq + " does not follow " + newest());
        }
        int i = (head + size) % seqs.length;
        seqs[i] = seq;
        envelopes[i] = envelope;
        size++;
        bytes += envelope.length;
        return true;
    }

    /** Drops every envelope with a sequence number up to {@code ack}; returns how many. */
    public int ack(long ack) {
        int n = 0;
        while (size > 0 && seqs[head] <= ack) {
            bytes -= envelopes[head].length;
            envelopes[head] = null;
            head = (head + 1) % seqs.length;
            size--;
            n++;
        }
        return n;
    }

    /** The envelope with {@code seq}, or null if it is not held. */
    public byte[] get(long seq) {
        if (size == 0 || seq < seqs[head] || seq > newest()) {
            return null;
        }
        return envelopes[(int) ((head + (seq - seqs[head])) % seqs.length)];
    }

    /** Calls {@code each} for every held envelope, oldest first. */
    public void forEach(BiConsumer<Long, byte[]> each) {
        for (int k = 0; k < size; k++) {
            int i = (head + k) % seqs.length;
            each.accept(seqs[i], envelopes[i]);
        }
    }

    public int size() {
        return size;
    }

    public boolean isFull() {
        return size == seqs.length || bytes >= maxBytes;
    }

    /** At least a quarter of both bounds is free (waking waiting producers for less costs a context switch per ack). */
    public boolean quarterFree() {
        return seqs.length - size >= Math.max(1, seqs.length / 4) && bytes <= maxBytes - maxBytes / 4;
    }

    public int capacity() {
        return seqs.length;
    }

    /** Bytes of the envelopes held. */
    public long bytes() {
        return bytes;
    }

    /** Oldest held sequence number, or -1 when empty. */
    public long oldest() {
        return size == 0 ? -1 : seqs[head];
    }

    private long newest() {
        return seqs[(head + size - 1) % seqs.length];
    }
}

package dev.ferry.edge.transport;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The UDP datagram format of RESI, and a bounded reassembler. Pure code; times are
 * {@code System.nanoTime()}-style longs passed in.
 *
 * <pre>
 *   whole:    'E' envelope...                              (one envelope per datagram)
 *   fragment: 'F' id(u32 BE) index(u16 BE) count(u16 BE) part...
 * </pre>
 *
 * An envelope longer than {@code datagramSize - 1} is split into fragments of at most
 * {@code datagramSize - 9} bytes. The reassembler keeps at most {@code maxPending} partial
 * envelopes, each at most {@code maxEnvelope} bytes, for at most {@code timeoutNanos}; the oldest
 * is evicted when full. Every rejected datagram yields a reason, never an exception.
 */
public final class UdpFragments {
    static final byte WHOLE = 'E';
    static final byte FRAGMENT = 'F';
    static final int HEADER = 9;

    private UdpFragments() { }

    /** The datagrams carrying {@code envelope}; {@code id} identifies it when it is segmented. */
    public static List<byte[]> split(byte[] envelope, int datagramSize, int id) {
        if (envelope.length + 1 <= datagramSize) {
            byte[] d = new byte[envelope.length + 1];
            d[0] = WHOLE;
            System.arraycopy(envelope, 0, d, 1, envelope.length);
            return List.of(d);
        }
        int part = datagramSize - HEADER;
        int count = (envelope.length + part - 1) / part;
        if (count > 0xFFFF) {
            throw new IllegalArgumentException("envelope too long for " + datagramSize + "-byte datagrams");
        }
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int off = i * part;
            int len = Math.min(part, envelope.length - off);
            byte[] d = new byte[HEADER + len];
            d[0] = FRAGMENT;
            d[1] = (byte) (id >>> 24);
            d[2] = (byte) (id >>> 16);
            d[3] = (byte) (id >>> 8);
            d[4] = (byte) id;
            d[5] = (byte) (i >>> 8);
            d[6] = (byte) i;
            d[7] = (byte) (count >>> 8);
            d[8] = (byte) count;
            System.arraycopy(envelope, off, d, HEADER, len);
            out.add(d);
        }
        return out;
    }

    /** What one datagram gave: a whole envelope, nothing yet, or an error reason. */
    public record Outcome(byte[] envelope, String error) {
        static final Outcome PENDING = new Outcome(null, null);

        public boolean isEnvelope() {
            return envelope != null;
        }

        public boolean isError() {
            return error != null;
        }
    }

    /** Bounded reassembly of fragmented envelopes for one transport. Not thread-safe. */
    public static final class Reassembler {
        private final int maxPending;
        private final int maxEnvelope;
        private final long timeoutNanos;
        private final Map<Integer, Partial> pending = new LinkedHashMap<>();
        private long evicted;

        public Reassembler(int maxPending, int maxEnvelope, long timeoutNanos) {
            if (maxPending < 1 || maxEnvelope < 1 || timeoutNanos <= 0) {
                throw new IllegalArgumentException("limits must be positive");
            }
            this.maxPending = maxPending;
            this.maxEnvelope = maxEnvelope;
            this.timeoutNanos = timeoutNanos;
        }

        /** Takes one datagram's bytes. */
        public Outcome accept(byte[] d, int length, long now) {
            expire(now);
            if (length < 1) {
                return new Outcome(null, "empty datagram");
            }
            if (d[0] == WHOLE) {
                if (length == 1) {
                    return new Outcome(null, "empty envelope");
                }
                if (length - 1 > maxEnvelope) {
                    return new Outcome(null, "envelope longer than " + maxEnvelope);
                }
                byte[] env = new byte[length - 1];
                System.arraycopy(d, 1, env, 0, env.length);
                return new Outcome(env, null);
            }
            if (d[0] != FRAGMENT) {
                return new Outcome(null, "unknown datagram type " + (d[0] & 0xFF));
            }
            if (length <= HEADER) {
                return new Outcome(null, "truncated fragment header");
            }
            int id = (d[1] & 0xFF) << 24 | (d[2] & 0xFF) << 16 | (d[3] & 0xFF) << 8 | (d[4] & 0xFF);
            int index = (d[5] & 0xFF) << 8 | (d[6] & 0xFF);
            int count = (d[7] & 0xFF) << 8 | (d[8] & 0xFF);
            if (count < 2 || index >= count) {
                return new Outcome(null, "bad fragment index " + index + "/" + count);
            }
            Partial p = pending.get(id);
            if (p == null) {
                if (pending.size() >= maxPending) {
                    Iterator<Integer> oldest = pending.keySet().iterator();
                    oldest.next();
                    oldest.remove();
                    evicted++;
                }
                p = new Partial(count, now);
                pending.put(id, p);
            } else if (p.parts.length != count) {
                pending.remove(id);
                return new Outcome(null, "fragment count changed for envelope " + id);
            }
            if (p.parts[index] == null) {
                byte[] part = new byte[length - HEADER];
                System.arraycopy(d, HEADER, part, 0, part.length);
                p.parts[index] = part;
                p.received++;
                p.bytes += part.length;
            }
            if (p.bytes > maxEnvelope) {
                pending.remove(id);
                return new Outcome(null, "fragmented envelope longer than " + maxEnvelope);
            }
            if (p.received < count) {
                return Outcome.PENDING;
            }
            pending.remove(id);
            byte[] env = new byte[p.bytes];
            int off = 0;
            for (byte[] part : p.parts) {
                System.arraycopy(part, 0, env, off, part.length);
                off += part.length;
            }
            return new Outcome(env, null);
        }

        private void expire(long now) {
            Iterator<Partial> it = pending.values().iterator();
            while (it.hasNext()) {
                if (now - it.next().started > timeoutNanos) {
                    it.remove();
                    evicted++;
                } else {
                    break; // insertion order: the rest are younger
                }
            }
        }

        /** Partial envelopes held now. */
        public int pending() {
            return pending.size();
        }

        /** Partial envelopes given up (timeout or room). */
        public long evicted() {
            return evicted;
        }

        private static final class Partial {
            final byte[][] parts;
            final long started;
            int received;
            int bytes;

            Partial(int count, long started) {
                this.parts = new byte[count][];
                this.started = started;
            }
        }
    }
}

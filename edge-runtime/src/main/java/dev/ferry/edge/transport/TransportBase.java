package dev.ferry.edge.transport;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What every {@link Transport} keeps the same way: its index, its receiver, its state as seen by
 * the peer link, and the start-once rule. Subclasses own their sockets and framing.
 *
 * <p>Callers may rely on: {@link #start()} throws {@link IllegalStateException} the second time
 * and {@link NullPointerException} without a receiver (via {@link #markStarted()});
 * {@link #send} throws {@link IllegalStateException} before a start (via {@link #requireStarted()});
 * state changes reach the receiver in the order they are made; everything sent and received is
 * counted in {@link #traffic()} (subclasses implement {@link #offer}, not {@code send}).
 */
public abstract class TransportBase implements Transport {
    private final int index;
    private volatile Receiver receiver;
    private volatile State state = State.DOWN;
    private volatile boolean started;
    private final TransportCounters counters = new TransportCounters();

    protected TransportBase(int index) {
        this.index = index;
    }

    @Override
    public final int index() {
        return index;
    }

    @Override
    public final void setReceiver(Receiver receiver) {
        this.receiver = receiver == null ? null : new Counting(receiver, counters);
    }

    @Override
    public final boolean send(byte[] envelope) {
        boolean ok = offer(envelope);
        if (ok) {
            counters.envelopesOut.increment();
            counters.bytesOut.add(envelope.length);
        } else {
            counters.refused.increment();
        }
        return ok;
    }

    /**
     * What {@link #send} does: queues one envelope, or returns false (not up, queue full, too
     * long). Never blocks; throws {@link IllegalStateException} before a start.
     */
    protected abstract boolean offer(byte[] envelope);

    @Override
    public final TransportCounters traffic() {
        return counters;
    }

    @Override
    public final State state() {
        return state;
    }

    /** The receiver set before {@link #start()}. */
    protected final Receiver receiver() {
        return receiver;
    }

    /** For {@link #start()}: claims the one start, or throws. */
    protected final synchronized void markStarted() {
        if (started) {
            throw new IllegalStateException(name() + " already started");
        }
        Objects.requireNonNull(receiver, "receiver");
        started = true;
    }

    protected final boolean isStarted() {
        return started;
    }

    /** For {@link #send}: throws {@link IllegalStateException} if the transport was never started. */
    protected final void requireStarted() {
        if (!started) {
            throw new IllegalStateException(name() + " not started");
        }
    }

    /** Records {@code s} and tells the receiver, also when it is the state already (a retry). */
    protected final void setState(State s, String reason) {
        state = s;
        Receiver r = receiver;
        if (r != null) {
            r.onState(this, s, reason);
        }
    }

    /** As {@link #setState}, but says nothing when the state does not change. */
    protected final void changeState(State s, String reason) {
        if (state != s) {
            setState(s, reason);
        }
    }

    /** For {@link #stop()}: DOWN, once, if the transport was started. */
    protected final void stopped() {
        if (started) {
            changeState(State.DOWN, "stopped");
        }
    }

    /** The address {@code ch} is bound to, if there is a channel. */
    protected static Optional<InetSocketAddress> boundAddress(Channel ch) {
        return ch == null ? Optional.empty() : Optional.ofNullable((InetSocketAddress) ch.localAddress());
    }

    /** Counts what reaches the receiver, then hands it on unchanged. */
    private record Counting(Receiver next, TransportCounters c) implements Receiver {
        @Override
        public void onEnvelope(Transport t, byte[] envelope) {
            c.envelopesIn.increment();
            c.bytesIn.add(envelope.length);
            next.onEnvelope(t, envelope);
        }

        @Override
        public void onEnvelopes(Transport t, List<byte[]> envelopes) {
            long bytes = 0;
            for (byte[] e : envelopes) {
                bytes += e.length;
            }
            c.envelopesIn.add(envelopes.size());
            c.bytesIn.add(bytes);
            next.onEnvelopes(t, envelopes);
        }

        @Override
        public void onState(Transport t, State state, String reason) {
            if (state == State.UP) {
                c.ups.increment();
            }
            next.onState(t, state, reason);
        }

        @Override
        public void onGarbage(Transport t, String reason) {
            c.garbage.increment();
            next.onGarbage(t, reason);
        }
    }
}

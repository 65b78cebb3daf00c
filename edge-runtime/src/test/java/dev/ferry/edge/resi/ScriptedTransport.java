package dev.ferry.edge.resi;

import dev.ferry.edge.transport.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An in-memory stream transport: the test hands the link what "arrived" in one read, and sees
 * what the link sent and when it reset the stream.
 */
final class ScriptedTransport implements Transport {
    final List<byte[]> sent = new ArrayList<>();
    /** Why the link reset the stream, in order (a queue: a reset may come from the link's event loop). */
    final java.util.concurrent.BlockingQueue<String> resets = new java.util.concurrent.LinkedBlockingQueue<>();
    private final int index;
    private Receiver receiver;
    private volatile State state = State.DOWN;

    ScriptedTransport(int index) {
        this.index = index;
    }

    void up() {
        state = State.UP;
        receiver.onState(this, State.UP, "scripted connection");
    }

    void arrive(byte[]... envelopes) {
        receiver.onEnvelopes(this, List.of(envelopes));
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public String name() {
        return "scripted-" + index;
    }

    @Override
    public void setReceiver(Receiver r) {
        receiver = r;
    }

    @Override
    public void start() {
        state = State.CONNECTING;
    }

    @Override
    public void stop() {
        state = State.DOWN;
    }

    @Override
    public synchronized boolean send(byte[] envelope) {
        if (state != State.UP) {
            return false;
        }
        sent.add(envelope);
        return true;
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public void reset(String reason) {
        state = State.CONNECTING;
        receiver.onState(this, State.CONNECTING, "reset: " + reason);
        resets.add(reason);
    }

    @Override
    public boolean isStream() {
        return true;
    }

    @Override
    public Optional<InetSocketAddress> localAddress() {
        return Optional.empty();
    }
}

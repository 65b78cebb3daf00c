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
    final List<String> resets = new ArrayList<>();
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
        synchronized (this) {
            resets.add(reason);
        }
        state = State.CONNECTING;
        receiver.onState(this, State.CONNECTING, "reset: " + reason);
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

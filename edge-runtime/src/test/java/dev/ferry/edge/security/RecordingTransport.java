package dev.ferry.edge.security;

import dev.ferry.edge.transport.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A transport that records every state its delegate reports (to prove a link never dropped). */
final class RecordingTransport implements Transport {
    private final Transport inner;
    private final List<State> states = new ArrayList<>();

    RecordingTransport(Transport inner) {
        this.inner = inner;
    }

    /** Every state reported so far, in order. */
    synchronized List<State> states() {
        return new ArrayList<>(states);
    }

    @Override
    public int index() {
        return inner.index();
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void setReceiver(Receiver r) {
        inner.setReceiver(new Receiver() {
            @Override
            public void onEnvelope(Transport t, byte[] envelope) {
                r.onEnvelope(RecordingTransport.this, envelope);
            }

            @Override
            public void onEnvelopes(Transport t, List<byte[]> envelopes) {
                r.onEnvelopes(RecordingTransport.this, envelopes);
            }

            @Override
            public void onState(Transport t, State state, String reason) {
                synchronized (RecordingTransport.this) {
                    states.add(state);
                }
                r.onState(RecordingTransport.this, state, reason);
            }

            @Override
            public void onGarbage(Transport t, String reason) {
                r.onGarbage(RecordingTransport.this, reason);
            }
        });
    }

    @Override
    public void start() {
        inner.start();
    }

    @Override
    public void stop() {
        inner.stop();
    }

    @Override
    public boolean send(byte[] envelope) {
        return inner.send(envelope);
    }

    @Override
    public State state() {
        return inner.state();
    }

    @Override
    public void reset(String reason) {
        inner.reset(reason);
    }

    @Override
    public boolean isStream() {
        return inner.isStream();
    }

    @Override
    public Optional<InetSocketAddress> localAddress() {
        return inner.localAddress();
    }
}

package dev.ferry.bridge.bus;

import dev.ferry.rp.DecodeError;
import dev.ferry.rp.Message;
import dev.ferry.serial.link.LinkParams;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A station client that records what the bus tells it and serves a queue of outbound messages. */
final class RecordingClient implements StationClient {
    final List<Message> messages = Collections.synchronizedList(new ArrayList<>());
    final List<String> downs = Collections.synchronizedList(new ArrayList<>());
    final List<Long> setupAttempts = Collections.synchronizedList(new ArrayList<>());
    final List<Long> turnEnds = Collections.synchronizedList(new ArrayList<>());
    final ConcurrentLinkedQueue<Message> outbound = new ConcurrentLinkedQueue<>();
    volatile LinkParams up;
    volatile boolean busy;

    @Override
    public void onSetupAttempt(long now) {
        setupAttempts.add(now);
    }

    @Override
    public void onLinkUp(LinkParams negotiated, long now) {
        up = negotiated;
    }

    @Override
    public void onLinkDown(String reason, long now) {
        up = null;
        downs.add(reason);
    }

    @Override
    public void onMessage(Message message, long now) {
        messages.add(message);
    }

    @Override
    public void onDecodeError(DecodeError error) {
    }

    @Override
    public void afterTurn(boolean setupAttempt, boolean linkUp, long now) {
        turnEnds.add(now);
    }

    @Override
    public Message pollOutbound() {
        return outbound.poll();
    }

    @Override
    public boolean hasOutbound() {
        return !outbound.isEmpty();
    }

    @Override
    public boolean inboundBusy(int window) {
        return busy;
    }
}

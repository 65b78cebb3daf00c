package dev.ferry.serial.link;

import dev.ferry.rp.Decoded;
import dev.ferry.rp.Message;
import dev.ferry.serial.frame.Frame;
import dev.ferry.serial.header.HeaderCodec;
import dev.ferry.rp.Path;
import dev.ferry.serial.link.Control.Supervisory;
import dev.ferry.serial.link.Control.Unnumbered;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.tinylog.Logger;

/**
 * The host side of the link to ONE secondary (PROTOCOL.md 3.4). Pure code: no threads, no I/O,
 * no clock; time is passed in as {@link System#nanoTime()}-style longs. A bus master drives it:
 *
 * <pre>
 *   if (st.isDue(now)) {
 *       List&lt;Frame&gt; out = st.startTurn(now);      // write them, in order, in one transmission
 *       while (st.isAwaitingResponse()) {
 *           decoded frame f arrives        -&gt; st.receive(f, now)     // turn ends at F = 1
 *           T1 passed since turnStartedAt() -&gt; st.timeout(now)
 *       }
 *   }
 * </pre>
 *
 * <p>Callers may rely on: the outgoing queue is bounded ({@link #offer} returns false when full);
 * every frame in a turn fits the negotiated frame size; complete messages reach the
 * {@link LinkListener} in order; messages in flight when the link resets are sent again from their
 * first segment; after {@code maxTimeouts} consecutive failed turns the station is {@link
 * State#DOWN} and {@link #isDue} stays false until its re-probe time (backoff doubling to a
 * maximum). Not thread-safe: one thread (the line's) drives it; {@link #counters()} may be read
 * anywhere.
 *
 * <p>The parts: {@link SendWindow} (queue, segmenting, go-back-N), {@link ReceiveState}
 * (reassembly), {@link HostHeaders} (the negotiated header codec and version 2 exchange ids).
 */
public final class PrimaryStation {
    /** Link state as the host sees it. */
    public enum State {
        /** Not set up: the next turn sends SNRM. */
        DISCONNECTED,
        /** SNRM sent, waiting for UA. */
        SETUP,
        /** Connected: turns exchange I/S frames. */
        CONNECTED,
        /** Marked down (timeouts, or an incompatible version): re-probed with SNRM after a backoff. */
        DOWN
    }

    private final PrimaryConfig config;
    private final int address;
    private final LinkListener listener;
    private final LinkCounters counters = new LinkCounters();
    private final SendWindow send;
    private final ReceiveState receive;
    private final HostHeaders headers;
    private final Consumer<Decoded<Message>> sink = this::deliver;
    private long now;

    private State state = State.DISCONNECTED;
    private LinkParams negotiated;
    private boolean awaiting;
    private long turnStartedAt;
    private boolean hostBusy;
    private boolean peerBusy;
    private int failures;
    private long backoff;
    private long reprobeAt;
    private byte[] testData;
    /** N(R) the station last heard from us (the host's V(R) then; 0 after set-up). */
    private int lastNr = -1;

    public PrimaryStation(PrimaryConfig config, LinkListener listener) {
        this.config = config;
        this.address = config.address();
        this.listener = listener;
        this.headers = new HostHeaders(config.maxHeader(), this::decodeWith);
        this.send = new SendWindow(config.queueCapacity());
        this.send.encoder(m -> headers.encode(m, now));
        this.receive = new ReceiveState(config.maxMessageSize(), headers.codec(), counters.decodeErrors());
    }

    public int address() {
        return address;
    }

    public State state() {
        return state;
    }

    public LinkCounters counters() {
        return counters;
    }

    /** The negotiated parameters while connected. */
    public Optional<LinkParams> negotiated() {
        return state == State.CONNECTED ? Optional.of(negotiated) : Optional.empty();
    }

    /**
     * Queues a message for the station; false when the queue is full (nothing queued). It is
     * encoded with the negotiated version's codec when its turn to be sent comes.
     */
    public boolean offer(Message m) {
        return send.offer(m);
    }

    /** The negotiated major version while connected (1 or 2), else 0. */
    public int version() {
        return state == State.CONNECTED ? negotiated.major() : 0;
    }

    /**
     * The station's resource table (version 2 index forms, PROTOCOL.md 8.2), learned by the caller
     * from the station's {@code GET /}; used from the next message encoded or decoded on.
     */
    public void useResources(List<Path> table) {
        headers.useResources(table, state == State.CONNECTED);
    }

    /** Exchanges open on a version 2 link (each holds one /#x/N id). */
    public int openExchanges() {
        return headers.openExchanges();
    }

    /** Messages waiting (not counting the one being segmented or in flight). */
    public int queued() {
        return send.queued();
    }

    /** True if messages are queued or unacknowledged. */
    public boolean hasWork() {
        return send.hasWork();
    }

    /** Host-side flow control: while busy, turns poll with RNR and received I-frames are refused. */
    public void setBusy(boolean busy) {
        this.hostBusy = busy;
    }

    public boolean isBusy() {
        return hostBusy;
    }

    /** True after the station sent RNR, until it sends RR, REJ or an I-frame. */
    public boolean isPeerBusy() {
        return peerBusy;
    }

    /** Asks for a TEST(P) with {@code data} in the next connected turn (answer via the listener). */
    public void requestTest(byte[] data) {
        this.testData = data.clone();
    }

    /** True between {@link #startTurn} and the end of the turn (F = 1 or {@link #timeout}). */
    public boolean isAwaitingResponse() {
        return awaiting;
    }

    /** When the current turn started (for the caller's T1). */
    public long turnStartedAt() {
        return turnStartedAt;
    }

    /** When a DOWN station may next be probed. */
    public long reprobeAt() {
        return reprobeAt;
    }

    /** True if a turn may start now: not awaiting a response, and not DOWN before its re-probe time. */
    public boolean isDue(long now) {
        return !awaiting && (state != State.DOWN || now - reprobeAt >= 0);
    }

    /**
     * Starts a turn: returns the frames to transmit (the last has P = 1), or an empty list if the
     * station is not due. SNRM when not connected; else a TEST, or up to k - outstanding I-frames,
     * or RR/RNR.
     *
     * @throws IllegalStateException if the previous turn has not ended
     */
    public List<Frame> startTurn(long now) {
        if (awaiting) {
            throw new IllegalStateException("turn in progress for station " + address);
        }
        if (!isDue(now)) {
            return List.of();
        }
        awaiting = true;
        turnStartedAt = now;
        this.now = now;
        if (state != State.CONNECTED) {
            state = State.SETUP;
            return List.of(new Frame(address, Control.u(Unnumbered.SNRM, true).encode(), config.params().encode()));
        }
        if (testData != null) {
            byte[] t = testData.length > negotiated.maxInfo() ? java.util.Arrays.copyOf(testData, negotiated.maxInfo()) : testData;
            testData = null;
            return List.of(new Frame(address, Control.u(Unnumbered.TEST, true).encode(), t));
        }
        int vr = receive.vr();
        lastNr = vr;
        List<Frame> out = new ArrayList<>(negotiated.window());
        if (!hostBusy && !peerBusy) {
            while (send.canSend()) {
                if (send.nextIsResend()) {
                    counters.retransmissions.incrementAndGet();
                }
                int ns = send.vs();
                out.add(new Frame(address, Control.i(ns, vr, false).encode(), send.next()));
            }
        }
        if (out.isEmpty()) {
            Supervisory s = hostBusy ? Supervisory.RNR : Supervisory.RR;
            out.add(new Frame(address, Control.s(s, vr, true).encode()));
        } else {
            Frame last = out.remove(out.size() - 1);
            Control c = Control.decode(last.control());
            out.add(new Frame(address, Control.i(c.ns(), vr, true).encode(), last.info()));
        }
        return out;
    }

    /**
     * True if the station may be polled by an unnumbered poll UP now (PROTOCOL.md 3.8): connected
     * on version 2.1, no turn in progress, and a poll would carry nothing but the poll itself:
     * nothing queued or unacknowledged, nothing of the station's to acknowledge (our V(R) is the
     * N(R) it last heard from us), no TEST pending, and we are not busy (that is RNR's job).
     */
    public boolean mayJoinUp() {
        return state == State.CONNECTED && negotiated.unnumberedPoll() && !awaiting && testData == null
                && !hostBusy && !send.hasWork() && receive.vr() == lastNr;
    }

    /**
     * Starts a turn in which the station is polled by a UP the caller sends (it carries no frame
     * of ours). The turn ends as any other: with the station's F = 1 frame, {@link #timeout}, or
     * {@link #cancelTurn}.
     *
     * @throws IllegalStateException if {@link #mayJoinUp()} is false
     */
    public void startUpTurn(long now) {
        if (!mayJoinUp()) {
            throw new IllegalStateException("station " + address + " cannot be polled by UP now");
        }
        awaiting = true;
        turnStartedAt = now;
        this.now = now;
    }

    /**
     * Ends a turn that never got to the station (a UP whose chain broke before its place): nothing
     * was sent to it and nothing is counted; it may be polled again at once.
     */
    public void cancelTurn() {
        awaiting = false;
    }

    /** Takes one decoded frame from the line; frames for other stations or outside a turn are ignored. */
    public void receive(Frame f, long now) {
        if (f.address() != address || !awaiting) {
            counters.framesIgnored.incrementAndGet();
            return;
        }
        Control c = Control.decode(f.control());
        if (state == State.SETUP) {
            onSetupResponse(c, f, now);
        } else if (state == State.CONNECTED) {
            onConnectedResponse(c, f);
        } else {
            counters.framesIgnored.incrementAndGet();
        }
        if (awaiting && c.pf() && c.kind() != Control.Kind.INVALID) {
            awaiting = false;
            failures = 0;
            if (state == State.CONNECTED && send.behind()) {
                send.rewind();                              // go back N from the station's N(R)
            }
        }
    }

    /** The response timeout T1 passed without a final frame: ends the turn and counts it. */
    public void timeout(long now) {
        if (!awaiting) {
            return;
        }
        awaiting = false;
        counters.timeouts.incrementAndGet();
        failures++;
        if (state == State.CONNECTED) {
            send.rewind();
        } else if (state == State.SETUP) {
            state = State.DISCONNECTED;
        }
        if (failures >= config.maxTimeouts()) {
            markDown(now, failures + " consecutive timeouts");
        }
    }

    private void onSetupResponse(Control c, Frame f, long now) {
        if (c.is(Unnumbered.UA)) {
            Optional<LinkParams> theirs = LinkParams.decode(f.info());
            if (theirs.isEmpty()) {
                Logger.warn("station {}: UA with invalid link parameters", address);
                refused(now, "invalid UA parameters");
            } else if (!config.params().compatibleWith(theirs.get())) {
                Logger.warn("station {}: incompatible version {}", address, Integer.toHexString(theirs.get().version()));
                awaiting = false;
                markDown(now, "incompatible version");
            } else {
                connect(config.params().negotiate(theirs.get()));
            }
        } else if (c.is(Unnumbered.DM)) {
            refused(now, "DM");
        } else {
            counters.framesIgnored.incrementAndGet();
        }
    }

    private void connect(LinkParams p) {
        negotiated = p;
        lastNr = 0;                             // V(R) = 0 on both sides: nothing to acknowledge
        headers.connected(p.major());
        send.reset(p.frameSize(), p.window());
        receive.reset();
        peerBusy = false;
        state = State.CONNECTED;
        backoff = 0;
        counters.setups.incrementAndGet();
        Logger.debug("station {}: link up v{} N={} k={}", address, p.major(), p.frameSize(), p.window());
        listener.onLinkUp(address, p);
    }

    private void refused(long now, String why) {
        awaiting = false;
        state = State.DISCONNECTED;
        if (++failures >= config.maxTimeouts()) {
            markDown(now, "set-up refused: " + why);
        }
    }

    private void onConnectedResponse(Control c, Frame f) {
        switch (c.kind()) {
            case I -> {
                if (!acknowledge(c.nr())) {
                    return;
                }
                peerBusy = false;
                if (f.infoLength() > negotiated.maxInfo()) {
                    counters.framesIgnored.incrementAndGet();
                    return;
                }
                receive.onI(c.ns(), f.info(), negotiated.window(), hostBusy, sink);
            }
            case S -> {
                if (!acknowledge(c.nr())) {
                    return;
                }
                peerBusy = c.supervisory() == Supervisory.RNR;
                if (c.supervisory() == Supervisory.REJ) {
                    counters.rejects.incrementAndGet();
                    send.rewind();
                }
            }
            case U -> onUnnumbered(c, f);
            case INVALID -> counters.framesIgnored.incrementAndGet();
            default -> throw new AssertionError(c);
        }
    }

    private void onUnnumbered(Control c, Frame f) {
        switch (c.unnumbered()) {
            case DM -> {
                counters.dms.incrementAndGet();
                linkLost("station sent DM (reset)");
            }
            case FRMR -> {
                counters.frmrs.incrementAndGet();
                byte[] i = f.info();
                Logger.warn("station {}: FRMR control={} vars={} reason={}", address,
                        i.length > 0 ? Integer.toHexString(i[0] & 0xFF) : "-",
                        i.length > 1 ? Integer.toHexString(i[1] & 0xFF) : "-",
                        i.length > 2 ? Integer.toHexString(i[2] & 0xFF) : "-");
                linkLost("FRMR");
            }
            case TEST -> listener.onTestResponse(address, f.info());
            case UI -> receive.onUi(f.info(), sink);
            default -> counters.framesIgnored.incrementAndGet();
        }
    }

    private boolean acknowledge(int nr) {
        if (!send.validNr(nr)) {
            Logger.warn("station {}: invalid N(R) {} (va={} top={}), resetting link", address, nr, send.va(), send.top());
            linkLost("invalid N(R)");
            return false;
        }
        int done = send.acknowledge(nr);
        if (done > 0) {
            counters.messagesSent.addAndGet(done);
        }
        return true;
    }

    private void linkLost(String reason) {
        awaiting = false;
        state = State.DISCONNECTED;
        send.reset(negotiated.frameSize(), negotiated.window());
        receive.reset();
        Logger.info("station {}: link lost ({}), will set up again", address, reason);
        listener.onLinkDown(address, reason);
    }

    private void markDown(long now, String reason) {
        if (state == State.CONNECTED) {
            send.reset(negotiated.frameSize(), negotiated.window());
            receive.reset();
        }
        state = State.DOWN;
        backoff = backoff == 0 ? config.reprobeMinNanos() : Math.min(config.reprobeMaxNanos(), backoff * 2);
        reprobeAt = now + backoff;
        Logger.info("station {}: marked down ({}), re-probe in {} ms", address, reason, backoff / 1_000_000);
        listener.onLinkDown(address, reason);
    }

    private void decodeWith(HeaderCodec c) {
        receive.codec(c);
    }

    private void deliver(Decoded<Message> m) {
        if (m.isOk()) {
            Message msg = headers.inbound(m.value());
            if (msg == null) {
                counters.unmatchedAnswers.incrementAndGet();
                return;
            }
            counters.messagesReceived.incrementAndGet();
            listener.onMessage(address, msg);
        } else {
            listener.onDecodeError(address, m.error());
        }
    }
}

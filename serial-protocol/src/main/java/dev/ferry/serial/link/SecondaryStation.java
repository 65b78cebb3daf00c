package dev.ferry.serial.link;

import dev.ferry.rp.Decoded;
import dev.ferry.rp.Message;
import dev.ferry.serial.frame.Frame;
import dev.ferry.serial.header.HeaderCodec;
import dev.ferry.serial.header.TextHeaderCodec;
import dev.ferry.serial.link.Control.Supervisory;
import dev.ferry.serial.link.Control.Unnumbered;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A secondary station (an MCU) following PROTOCOL.md 3.5, in pure Java: each received frame
 * yields the frames it answers with (possibly none). Used by tests and to simulate an MCU; the
 * firmware's C library is the production secondary.
 *
 * <p>Callers may rely on: {@link #receive} never throws on any frame; it answers only frames with
 * P = 1 addressed to it (never broadcasts); every response fits its own frame size; memory is
 * bounded by the queue capacity, the window and the maximum message size. Not thread-safe.
 */
public final class SecondaryStation {
    /** FRMR reason bits (PROTOCOL.md 3.7). */
    static final int FRMR_W = 0x01;
    static final int FRMR_X = 0x02;
    static final int FRMR_Y = 0x04;
    static final int FRMR_Z = 0x08;

    private final int address;
    private final LinkParams own;
    private final LinkListener listener;
    private final LinkCounters counters = new LinkCounters();
    private HeaderCodec codec;
    private final SendWindow send;
    private final ReceiveState receive;
    private final Consumer<Decoded<Message>> sink = this::deliver;

    private boolean connected;
    private LinkParams negotiated;
    private boolean busy;
    private boolean primaryBusy;
    private byte[] pendingFrmr;
    /** Polled by a UP: answer after the final frame of this station (0: no answer pending). */
    private int upAfter;

    /**
     * @param address its address, 1..254
     * @param own its maximum link parameters, answered in UA
     * @param queueCapacity most outgoing messages waiting
     * @param maxMessageSize largest incoming message it reassembles
     */
    public SecondaryStation(int address, LinkParams own, int queueCapacity, int maxMessageSize, LinkListener listener) {
        if (address < 1 || address > 254) {
            throw new IllegalArgumentException("station address must be 1..254: " + address);
        }
        this.address = address;
        this.own = own;
        this.listener = listener;
        this.codec = new TextHeaderCodec();
        this.send = new SendWindow(queueCapacity);
        this.send.encoder(m -> codec.encode(m));
        this.receive = new ReceiveState(maxMessageSize, codec, counters.decodeErrors());
    }

    public int address() {
        return address;
    }

    public boolean isConnected() {
        return connected;
    }

    public LinkCounters counters() {
        return counters;
    }

    /** Queues a message for the host; false when the queue is full. */
    public boolean offer(Message m) {
        return send.offer(m);
    }

    /** Flow control: while busy, polls are answered with RNR and I-frames are not taken. */
    public void setBusy(boolean busy) {
        this.busy = busy;
    }

    /** True after the primary sent RNR, until it sends RR or an I-frame. */
    public boolean isPrimaryBusy() {
        return primaryBusy;
    }

    /** Simulates a power cycle: disconnected, all link state lost (queued messages kept). */
    public void reset() {
        connected = false;
        primaryBusy = false;
        receive.reset();
    }

    /** Bytes held for a partial incoming message. */
    public int buffered() {
        return receive.buffered();
    }

    /**
     * Handles one frame heard on the line: from the primary, or another station's answer (which
     * matters only when a UP put this station after it); returns the response frames in order
     * (often none).
     */
    public List<Frame> receive(Frame f) {
        boolean broadcast = f.address() == 0xFF;
        Control c = Control.decode(f.control());
        if (f.address() != address && !broadcast) {
            if (upAfter != 0 && f.address() == upAfter && c.pf()) {
                upAfter = 0;                                 // the station before us ended: our turn
                return poll();
            }
            return List.of();
        }
        upAfter = 0;                                         // the primary speaks again
        if (broadcast) {
            if (c.is(Unnumbered.UI)) {
                receive.onUi(f.info(), sink);
            } else if (c.is(Unnumbered.UP) && c.pf()) {
                return onUp(f.info());
            }
            return List.of();
        }
        if (c.is(Unnumbered.TEST)) {
            return c.pf() ? List.of(u(Unnumbered.TEST, Arrays.copyOf(f.info(), Math.min(f.infoLength(), maxInfo())))) : List.of();
        }
        if (c.is(Unnumbered.SNRM)) {
            return onSnrm(c, f);
        }
        if (c.is(Unnumbered.UI)) {
            receive.onUi(f.info(), sink);
            return List.of();
        }
        if (!connected) {
            return c.pf() ? poll() : List.of();
        }
        return onConnected(c, f);
    }

    /** A UP (PROTOCOL.md 3.8): the first station listed answers at once, the others in turn. */
    private List<Frame> onUp(byte[] list) {
        for (int i = 0; i < list.length; i++) {
            if ((list[i] & 0xFF) == address) {
                if (i == 0) {
                    return poll();
                }
                upAfter = list[i - 1] & 0xFF;
                return List.of();
            }
        }
        return List.of();
    }

    /** The answer to a poll: connected, {@link #respond()}; else a pending FRMR, or DM. */
    private List<Frame> poll() {
        if (connected) {
            return respond();
        }
        if (pendingFrmr != null) {
            byte[] info = pendingFrmr;
            pendingFrmr = null;
            return List.of(u(Unnumbered.FRMR, info));
        }
        return dm();
    }

    private List<Frame> onSnrm(Control c, Frame f) {
        Optional<LinkParams> theirs = LinkParams.decode(f.info());
        if (theirs.isEmpty()) {
            return frmr(c, FRMR_X);
        }
        negotiated = own.negotiate(theirs.get());
        if (!own.compatibleWith(theirs.get())) {
            return frmr(c, FRMR_X);
        }
        codec = HeaderCodec.forVersion(negotiated.major(), HeaderCodec.DEFAULT_MAX_HEADER, List.of());
        receive.codec(codec);
        send.reset(negotiated.frameSize(), negotiated.window());
        receive.reset();
        pendingFrmr = null;
        connected = true;
        primaryBusy = false;
        counters.setups.incrementAndGet();
        listener.onLinkUp(address, negotiated);
        // the version answered is the one both speak, so that a version 1 primary accepts it
        return List.of(u(Unnumbered.UA, own.withVersion(negotiated.version()).encode()));
    }

    private List<Frame> onConnected(Control c, Frame f) {
        switch (c.kind()) {
            case INVALID:
                return frmr(c, FRMR_W);
            case I:
                if (f.infoLength() > negotiated.maxInfo()) {
                    return frmr(c, FRMR_Y);
                }
                if (!send.validNr(c.nr())) {
                    return frmr(c, FRMR_Z);
                }
                acknowledge(c.nr());
                primaryBusy = false;
                receive.onI(c.ns(), f.info(), negotiated.window(), busy, sink);
                return c.pf() ? respond() : List.of();
            case S:
                if (f.infoLength() > 0) {
                    return frmr(c, FRMR_X);
                }
                if (!send.validNr(c.nr())) {
                    return frmr(c, FRMR_Z);
                }
                acknowledge(c.nr());
                primaryBusy = c.supervisory() == Supervisory.RNR;
                if (c.supervisory() == Supervisory.REJ) {
                    counters.rejects.incrementAndGet();
                    send.rewind();
                }
                return c.pf() ? respond() : List.of();
            default:
                break;
        }
        if (c.is(Unnumbered.DISC)) {
            if (f.infoLength() > 0) {
                return frmr(c, FRMR_X);
            }
            connected = false;
            listener.onLinkDown(address, "DISC");
            return List.of(u(Unnumbered.UA, new byte[0]));
        }
        return frmr(c, FRMR_W);                              // UA, DM, FRMR are not commands
    }

    /** The answer to a poll: REJ/RNR/RR(F), or up to k I-frames with F on the last. */
    private List<Frame> respond() {
        send.rewind();                                       // resend from the primary's N(R)
        int vr = receive.vr();
        if (receive.takeRejectDue()) {
            return List.of(s(Supervisory.REJ, vr));
        }
        if (busy) {
            return List.of(s(Supervisory.RNR, vr));
        }
        List<Frame> out = new ArrayList<>();
        while (!primaryBusy && send.canSend()) {
            if (send.nextIsResend()) {
                counters.retransmissions.incrementAndGet();
            }
            int ns = send.vs();
            byte[] info = send.next();
            boolean last = !send.canSend();
            out.add(new Frame(address, Control.i(ns, vr, last).encode(), info));
        }
        return out.isEmpty() ? List.of(s(Supervisory.RR, vr)) : out;
    }

    private void acknowledge(int nr) {
        int done = send.acknowledge(nr);
        if (done > 0) {
            counters.messagesSent.addAndGet(done);
        }
    }

    private List<Frame> dm() {
        counters.dms.incrementAndGet();
        return List.of(u(Unnumbered.DM, new byte[0]));
    }

    /**
     * Rejects a frame: becomes disconnected and answers FRMR(F), at once if the frame had P = 1,
     * else in answer to the next poll (a secondary transmits only when polled).
     */
    private List<Frame> frmr(Control c, int reason) {
        counters.frmrs.incrementAndGet();
        byte[] info = {(byte) c.encode(), (byte) ((receive.vr() << 5) | (send.vs() << 1)), (byte) reason};
        boolean wasConnected = connected;
        connected = false;
        if (wasConnected) {
            listener.onLinkDown(address, "FRMR " + reason);
        }
        if (!c.pf()) {
            pendingFrmr = info;
            return List.of();
        }
        return List.of(u(Unnumbered.FRMR, info));
    }

    private int maxInfo() {
        return (connected ? negotiated : own).maxInfo();
    }

    private Frame u(Unnumbered kind, byte[] info) {
        return new Frame(address, Control.u(kind, true).encode(), info);
    }

    private Frame s(Supervisory kind, int vr) {
        return new Frame(address, Control.s(kind, vr, true).encode());
    }

    private void deliver(Decoded<Message> m) {
        if (m.isOk()) {
            counters.messagesReceived.incrementAndGet();
            listener.onMessage(address, m.value());
        } else {
            listener.onDecodeError(address, m.error());
        }
    }
}

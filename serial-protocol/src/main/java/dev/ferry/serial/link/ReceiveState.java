package dev.ferry.serial.link;

import dev.ferry.rp.DecodeError;
import dev.ferry.rp.Decoded;
import dev.ferry.rp.Message;
import dev.ferry.serial.frame.FrameCounters;
import dev.ferry.serial.header.HeaderCodec;
import dev.ferry.serial.segment.Reassembler;
import java.util.function.Consumer;

/**
 * The receiving half of one link: V(R), duplicate/out-of-order detection, the once-only REJ
 * flag, reassembly and header decoding (PROTOCOL.md 3.5, 4, 5). Segment and header errors are
 * counted in the shared {@link FrameCounters} and passed on as typed results. Not thread-safe.
 */
final class ReceiveState {
    /** What happened to one received I-frame. */
    enum Outcome { ACCEPTED, DUPLICATE, OUT_OF_ORDER, BUSY }

    private final Reassembler reassembler;
    private HeaderCodec codec;
    private final FrameCounters counters;
    private int vr;
    private boolean rejectDue;
    private boolean rejectSent;

    ReceiveState(int maxMessageSize, HeaderCodec codec, FrameCounters counters) {
        this.reassembler = new Reassembler(maxMessageSize, counters);
        this.codec = codec;
        this.counters = counters;
    }

    /** The codec for messages completed from now on (the negotiated version's). */
    void codec(HeaderCodec c) {
        this.codec = c;
    }

    /** Resets V(R) and drops any partial message (SNRM/UA). */
    void reset() {
        vr = 0;
        rejectDue = false;
        rejectSent = false;
        reassembler.reset();
    }

    int vr() {
        return vr;
    }

    /** Bytes held for a partial message. */
    int buffered() {
        return reassembler.buffered();
    }

    /**
     * Handles an I-frame's N(S) and information field: takes it when it is the next in sequence
     * and {@code busy} is false; complete messages and errors go to {@code sink}.
     */
    Outcome onI(int ns, byte[] info, int window, boolean busy, Consumer<Decoded<Message>> sink) {
        if (ns != vr) {
            int back = (vr - ns) & 7;
            if (back >= 1 && back <= window) {
                return Outcome.DUPLICATE;
            }
            if (!rejectSent) {
                rejectDue = true;
            }
            return Outcome.OUT_OF_ORDER;
        }
        if (busy) {
            return Outcome.BUSY;
        }
        vr = (vr + 1) & 7;
        rejectDue = false;
        rejectSent = false;
        takeSegment(info, sink);
        return Outcome.ACCEPTED;
    }

    /** Handles an unnumbered (UI) segment: a single-segment message. */
    void onUi(byte[] info, Consumer<Decoded<Message>> sink) {
        if (info.length < 1 || (info[0] & 0xC0) != 0x80) {
            counters.count(DecodeError.SEGMENT_GAP);
            sink.accept(Decoded.error(DecodeError.SEGMENT_GAP));
            return;
        }
        decodeMessage(info, 1, info.length - 1, sink);
    }

    /** True (once) if a REJ should be sent in the next response. */
    boolean takeRejectDue() {
        if (rejectDue) {
            rejectDue = false;
            rejectSent = true;
            return true;
        }
        return false;
    }

    private void takeSegment(byte[] info, Consumer<Decoded<Message>> sink) {
        reassembler.accept(info, 0, info.length, r -> {
            if (r.isOk()) {
                byte[] m = r.value();
                decodeMessage(m, 0, m.length, sink);
            } else {
                sink.accept(Decoded.error(r.error()));
            }
        });
    }

    private void decodeMessage(byte[] b, int off, int len, Consumer<Decoded<Message>> sink) {
        Decoded<Message> m = codec.decode(b, off, len);
        if (m.isError()) {
            counters.count(m.error());
        }
        sink.accept(m);
    }
}

package dev.ferry.serial.link;

import dev.ferry.rp.Message;
import dev.ferry.serial.segment.Segmenter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * The sending half of one link: a bounded queue of messages, encoded when their first segment is
 * due (so that a link set up again with another version re-encodes them), cut into segments on demand,
 * and the go-back-N window of I-frames sent but not yet acknowledged (PROTOCOL.md 3.3, 3.4).
 * Sequence numbers are modulo 8. {@code va} is the oldest unacknowledged N(S), {@code vs} the
 * N(S) of the next I-frame to (re)send, {@code top} one past the newest N(S) ever assigned; after
 * a rewind, frames {@code vs..top-1} are resent before any new segment is taken. Not thread-safe.
 */
final class SendWindow {
    private final int queueCapacity;
    private final Deque<Message> queue = new ArrayDeque<>();
    private final byte[][] segments = new byte[8][];
    private final byte[][] owners = new byte[8][];
    private final Message[] ownerMessages = new Message[8];
    private Function<Message, byte[]> encoder;

    private int window = 1;
    private int frameSize;
    private int va;
    private int vs;
    private int top;
    private byte[] current;
    private Message currentMessage;
    private int currentIndex;

    SendWindow(int queueCapacity) {
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queue capacity must be positive: " + queueCapacity);
        }
        this.queueCapacity = queueCapacity;
    }

    /**
     * How messages become bytes from now on; it may return null for a message that cannot be
     * sent yet (it then waits at the head of the queue).
     */
    void encoder(Function<Message, byte[]> e) {
        this.encoder = e;
    }

    /** Adds a message; false when the queue is full. */
    boolean offer(Message message) {
        if (queue.size() >= queueCapacity) {
            return false;
        }
        queue.addLast(message);
        return true;
    }

    int queued() {
        return queue.size();
    }

    /**
     * Resets the sequence variables for a new link with frame size N and window k. Messages that
     * were partly or wholly in flight go back to the front of the queue, to be sent again from
     * their first segment (at-least-once across a link reset).
     */
    void reset(int frameSize, int window) {
        List<Message> inFlight = new ArrayList<>();
        for (int i = va; i != top; i = (i + 1) & 7) {
            if (!inFlight.contains(ownerMessages[i])) {
                inFlight.add(ownerMessages[i]);
            }
        }
        if (currentMessage != null && !inFlight.contains(currentMessage)) {
            inFlight.add(currentMessage);
        }
        for (int i = inFlight.size() - 1; i >= 0; i--) {
            queue.addFirst(inFlight.get(i));
        }
        for (int i = 0; i < 8; i++) {
            segments[i] = null;
            owners[i] = null;
            ownerMessages[i] = null;
        }
        this.frameSize = frameSize;
        this.window = window;
        va = 0;
        vs = 0;
        top = 0;
        current = null;
        currentMessage = null;
        currentIndex = 0;
    }

    /** I-frames assigned and not acknowledged. */
    int outstanding() {
        return (top - va) & 7;
    }

    /** True if an I-frame may be sent now (a resend or a new segment within the window). */
    boolean canSend() {
        return vs != top || (outstanding() < window && (current != null || take()));
    }

    /** Encodes the queue's head as the current message; false if there is none or it must wait. */
    private boolean take() {
        Message m = queue.peekFirst();
        if (m == null) {
            return false;
        }
        byte[] bytes = encoder.apply(m);
        if (bytes == null) {
            return false;
        }
        queue.pollFirst();
        current = bytes;
        currentMessage = m;
        currentIndex = 0;
        return true;
    }

    /** True if anything is waiting: unacknowledged frames or queued messages. */
    boolean hasWork() {
        return outstanding() > 0 || current != null || !queue.isEmpty();
    }

    /** N(S) of the next I-frame {@link #next()} returns. */
    int vs() {
        return vs;
    }

    int va() {
        return va;
    }

    int top() {
        return top;
    }

    /** True if the next I-frame is a retransmission. */
    boolean nextIsResend() {
        return vs != top;
    }

    /** The information field of the next I-frame to send (N(S) = {@link #vs()} before the call). */
    byte[] next() {
        if (vs != top) {
            byte[] seg = segments[vs];
            vs = (vs + 1) & 7;
            return seg;
        }
        if (current == null && !take()) {
            throw new IllegalStateException("nothing to send");
        }
        byte[] seg = Segmenter.segment(current, frameSize, currentIndex);
        segments[top] = seg;
        owners[top] = current;
        ownerMessages[top] = currentMessage;
        if (++currentIndex >= Segmenter.count(current.length, frameSize)) {
            current = null;
            currentMessage = null;
        }
        top = (top + 1) & 7;
        vs = top;
        return seg;
    }

    /** True if {@code nr} lies in [va, top] modulo 8. */
    boolean validNr(int nr) {
        return ((nr - va) & 7) <= ((top - va) & 7);
    }

    /**
     * Acknowledges I-frames up to nr - 1; returns the number of whole messages completed by it.
     * The caller has checked {@link #validNr(int)}.
     */
    int acknowledge(int nr) {
        int done = 0;
        while (va != nr) {
            byte[] owner = owners[va];
            segments[va] = null;
            owners[va] = null;
            ownerMessages[va] = null;
            va = (va + 1) & 7;
            if (owner != current && (va == top || owners[va] != owner)) {
                done++;
            }
        }
        if (((vs - va) & 7) > ((top - va) & 7)) {
            vs = va;                                        // vs was behind the acknowledged point
        }
        return done;
    }

    /** Go back N: the next I-frames resent start at the oldest unacknowledged one. */
    void rewind() {
        vs = va;
    }

    /** True if some sent I-frames are not acknowledged. */
    boolean behind() {
        return va != top;
    }
}

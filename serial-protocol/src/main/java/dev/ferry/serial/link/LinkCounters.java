package dev.ferry.serial.link;

import dev.ferry.serial.frame.FrameCounters;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Link-layer statistics of one station. Written by the thread driving the station, readable from
 * any thread at any time. {@link #decodeErrors()} holds segment and header errors by kind.
 */
public final class LinkCounters {
    final AtomicLong timeouts = new AtomicLong();
    final AtomicLong retransmissions = new AtomicLong();
    final AtomicLong rejects = new AtomicLong();
    final AtomicLong frmrs = new AtomicLong();
    final AtomicLong dms = new AtomicLong();
    final AtomicLong setups = new AtomicLong();
    final AtomicLong messagesSent = new AtomicLong();
    final AtomicLong messagesReceived = new AtomicLong();
    final AtomicLong framesIgnored = new AtomicLong();
    final AtomicLong unmatchedAnswers = new AtomicLong();
    private final FrameCounters decodeErrors = new FrameCounters();

    /** T1 expiries without a final frame. */
    public long timeouts() {
        return timeouts.get();
    }

    /** I-frames sent again (go-back-N). */
    public long retransmissions() {
        return retransmissions.get();
    }

    /** REJ frames received. */
    public long rejects() {
        return rejects.get();
    }

    /** FRMR frames received (primary) or sent (secondary). */
    public long frmrs() {
        return frmrs.get();
    }

    /** DM frames received while connected (primary) or sent (secondary). */
    public long dms() {
        return dms.get();
    }

    /** Successful link set-ups. */
    public long setups() {
        return setups.get();
    }

    /** Messages whose last segment was acknowledged. */
    public long messagesSent() {
        return messagesSent.get();
    }

    /** Valid messages delivered to the listener. */
    public long messagesReceived() {
        return messagesReceived.get();
    }

    /** Frames dropped as unexpected (outside a turn, wrong state, invalid control). */
    /** Version 2 answers to an exchange that is not open (dropped). */
    public long unmatchedAnswers() {
        return unmatchedAnswers.get();
    }

    public long framesIgnored() {
        return framesIgnored.get();
    }

    /** Segment and header errors by kind. */
    public FrameCounters decodeErrors() {
        return decodeErrors;
    }

    @Override
    public String toString() {
        return "timeouts=" + timeouts + " retransmissions=" + retransmissions + " rejects=" + rejects
                + " frmrs=" + frmrs + " dms=" + dms + " setups=" + setups + " sent=" + messagesSent
                + " received=" + messagesReceived + " ignored=" + framesIgnored + " " + decodeErrors;
    }
}

package dev.ferry.bridge.bus;

import dev.ferry.serial.link.LinkCounters;

/**
 * Link-layer figures of one station, accumulated over every link the bus built to it (a line
 * that vanished and came back continues the sums). Immutable snapshot.
 *
 * @param timeouts T1 expiries
 * @param retransmissions I-frames sent again (go-back-N)
 * @param rejects REJ frames received
 * @param frmrs FRMR frames received
 * @param dms DM frames received while connected
 * @param setups successful link set-ups
 * @param messagesSent messages the station acknowledged completely
 * @param messagesReceived valid messages received from the station
 * @param framesIgnored frames the station's link layer dropped as unexpected
 * @param decodeErrors segment and header errors
 * @param unmatchedAnswers version 2 answers to an exchange that was not open (dropped)
 */
public record LinkStats(long timeouts, long retransmissions, long rejects, long frmrs, long dms, long setups,
                        long messagesSent, long messagesReceived, long framesIgnored, long decodeErrors,
                        long unmatchedAnswers) {
    public static final LinkStats ZERO = new LinkStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** A snapshot of live counters. */
    public static LinkStats of(LinkCounters c) {
        return new LinkStats(c.timeouts(), c.retransmissions(), c.rejects(), c.frmrs(), c.dms(), c.setups(),
                c.messagesSent(), c.messagesReceived(), c.framesIgnored(), c.decodeErrors().totalErrors(),
                c.unmatchedAnswers());
    }

    /** Field-wise sum. */
    public LinkStats plus(LinkStats o) {
        return new LinkStats(timeouts + o.timeouts, retransmissions + o.retransmissions, rejects + o.rejects,
                frmrs + o.frmrs, dms + o.dms, setups + o.setups, messagesSent + o.messagesSent,
                messagesReceived + o.messagesReceived, framesIgnored + o.framesIgnored, decodeErrors + o.decodeErrors,
                unmatchedAnswers + o.unmatchedAnswers);
    }
}
